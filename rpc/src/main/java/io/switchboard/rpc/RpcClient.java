package io.switchboard.rpc;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Request/response over MQTT 5 on any broker: one connection, one reply subscription (made and
 * acknowledged before {@link #connect} returns, so before the first request), any number of calls
 * and services.
 *
 * <pre>{@code
 * try (RpcClient rpc = RpcClient.builder().host("localhost").port(1883).connect()) {
 *     Reply r = rpc.callBlocking("devices/door-7/unlock", "{}".getBytes(), CallOptions.defaults());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Replies are matched by Correlation Data only; see docs/rpc.md for the wire format.
 */
public final class RpcClient implements AutoCloseable {
    /** Where replies go when the broker gives no Response Information: {@value}{@code <random>}. */
    public static final String DEFAULT_REPLY_PREFIX = "rpc/reply/";

    private final Mqtt5AsyncClient mqtt;
    private final ScheduledThreadPoolExecutor timer;
    private final String clientId;
    private final String replyTopic;
    private final Calls calls;
    private final Services services;
    private volatile boolean closed;

    private RpcClient(Mqtt5AsyncClient mqtt, ScheduledThreadPoolExecutor timer, String clientId, String replyTopic,
            Services services) {
        this.mqtt = mqtt;
        this.timer = timer;
        this.clientId = clientId;
        this.replyTopic = replyTopic;
        this.calls = new Calls(mqtt, timer, replyTopic);
        this.services = services;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Calls with the default options (timeout 10 s, QoS 1). */
    public CompletableFuture<Reply> call(String topic, byte[] payload) {
        return call(topic, payload, CallOptions.defaults());
    }

    /**
     * Publishes a request to {@code topic} and completes with its reply, or exceptionally with an
     * {@link RpcException} subtype saying why not. Cancelling the future forgets the call.
     */
    public CompletableFuture<Reply> call(String topic, byte[] payload, CallOptions options) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(options, "options");
        if (closed) {
            return CompletableFuture.failedFuture(new RpcCancelledException("the RPC client is closed"));
        }
        if (options.retries() == 0) {
            return calls.call(topic, payload, options);
        }
        CompletableFuture<Reply> result = new CompletableFuture<>();
        attempt(topic, payload, options, 0, result);
        return result;
    }

    /** One attempt of a call with retries; a timeout or a lost connection tries again after the backoff. */
    private void attempt(String topic, byte[] payload, CallOptions options, int done, CompletableFuture<Reply> result) {
        if (result.isDone() || closed) {
            result.completeExceptionally(new RpcCancelledException("the RPC client is closed"));
            return;
        }
        CompletableFuture<Reply> one = calls.call(topic, payload, options);
        result.whenComplete((r, e) -> one.cancel(false)); // the caller's cancel ends the attempt too
        one.whenComplete((reply, error) -> {
            if (error == null) {
                result.complete(reply);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean again = (cause instanceof RpcTimeoutException || cause instanceof ConnectionLostException)
                    && done < options.retries() && !closed;
            if (!again) {
                result.completeExceptionally(cause);
                return;
            }
            long wait = options.retryBackoff().toMillis() << Math.min(done, 20);
            timer.schedule(() -> attempt(topic, payload, options, done + 1, result), wait, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * A batch: every call made at once, one future for all their outcomes, in the order given. It
     * completes when the last call has ended; each call's failure is in its {@link CallResult}.
     */
    public CompletableFuture<List<CallResult>> callAll(List<Call> batch) {
        List<CompletableFuture<CallResult>> each = new ArrayList<>(batch.size());
        for (Call c : batch) {
            each.add(call(c.topic(), c.payload(), c.options()).handle((reply, error) -> error == null
                    ? new CallResult(c, reply, null) : new CallResult(c, null, unwrap(error))));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Scatter-gather: one request, answered by every responder subscribed to {@code topic} (say
     * {@code devices/+/health} served by many devices, or a fleet topic): completes with the replies
     * once {@code maxReplies} came, or with those that came when the timeout passes (possibly none:
     * no timeout error). Error replies are among them ({@link Reply#isError()}). Fails with
     * {@link NoResponderException} when nobody is subscribed.
     */
    public CompletableFuture<List<Reply>> gather(String topic, byte[] payload, int maxReplies, CallOptions options) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(options, "options");
        if (maxReplies < 1) {
            throw new IllegalArgumentException("maxReplies " + maxReplies + ": at least 1");
        }
        if (closed) {
            return CompletableFuture.failedFuture(new RpcCancelledException("the RPC client is closed"));
        }
        return calls.gather(topic, payload, options, maxReplies);
    }

    /** {@link #call} and wait; throws the {@link RpcException} the call failed with. */
    public Reply callBlocking(String topic, byte[] payload, CallOptions options) {
        CompletableFuture<Reply> f = call(topic, payload, options);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new RpcCancelledException("interrupted while waiting for the reply from " + topic);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Sends {@code request} as JSON (content type application/json) and reads the reply's JSON as {@code type}. */
    public <T> CompletableFuture<T> callJson(String topic, Object request, Class<T> type, CallOptions options) {
        CallOptions o = options.contentType() == null ? options.withContentType(Json.CONTENT_TYPE) : options;
        return call(topic, Json.write(request), o).thenApply(r -> r.json(type));
    }

    /** Serves {@code filter} with a handler that may block (run on the service's worker threads). */
    public Service serve(String filter, RequestHandler handler) {
        return serve(filter, handler, ServeOptions.defaults());
    }

    public Service serve(String filter, RequestHandler handler, ServeOptions options) {
        Objects.requireNonNull(handler, "handler");
        return serveAsync(filter, blocking(handler), options);
    }

    private static AsyncRequestHandler blocking(RequestHandler handler) {
        return request -> {
            try {
                return CompletableFuture.completedFuture(handler.handle(request));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    /** Serves {@code filter} with a handler that answers through a completion stage. */
    public Service serveAsync(String filter, AsyncRequestHandler handler, ServeOptions options) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        if (closed) {
            throw new RpcCancelledException("the RPC client is closed");
        }
        return services.serve(filter, handler, options);
    }

    /** The topic this client's replies come on. */
    public String replyTopic() {
        return replyTopic;
    }

    public String clientId() {
        return clientId;
    }

    public RpcStats stats() {
        return new RpcStats(calls.pendingCount(), timer.getQueue().size(), services.count(), calls.calls.sum(),
                calls.replies.sum(), calls.dropped.sum(), calls.timeouts.sum(), calls.noResponders.sum(),
                calls.responderErrors.sum(), calls.connectionLosses.sum(), services.requests.sum(),
                services.duplicates.sum(), services.expired.sum());
    }

    /** Fails the calls still waiting ({@link RpcCancelledException}), stops the services, disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        calls.cancelAll("the RPC client was closed");
        services.closeAll();
        try {
            mqtt.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // already disconnected
        } finally {
            timer.shutdownNow();
        }
    }

    private static RpcException unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RpcException r) {
            return r;
        }
        if (t instanceof java.util.concurrent.CancellationException) {
            return new RpcCancelledException("the call was cancelled");
        }
        return new RpcException(t.toString(), t);
    }

    /** Where and how to connect. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 1883;
        private String clientId;
        private String username;
        private byte[] password;
        private String replyTopic;
        private boolean reconnect = true;
        private long sessionExpirySeconds;
        private final List<Declared> declared = new ArrayList<>();

        /** A service declared before connecting. */
        private record Declared(String filter, AsyncRequestHandler handler, ServeOptions options) {
        }

        private Builder() {
        }

        /**
         * Keeps the MQTT session for this long after a disconnect (default 0: a clean session each
         * time). A device that is offline at times then gets, when it reconnects with the same client
         * id, the requests queued meanwhile, except those whose deadline passed (their Message Expiry).
         * Declare its services with {@link #service} so that they take those requests. With a
         * session, the reply topic without Response Information is derived from the client id (set
         * one with {@link #clientId}), so that a restart does not leave a stale subscription behind.
         */
        public Builder sessionExpiry(Duration expiry) {
            if (expiry.isNegative() || expiry.getSeconds() > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("session expiry " + expiry + ": 0 to 4294967295 s");
            }
            this.sessionExpirySeconds = expiry.getSeconds();
            return this;
        }

        /** A service subscribed while connecting, before {@link #connect} returns (see {@link RpcClient#serve}). */
        public Builder service(String filter, RequestHandler handler) {
            return service(filter, handler, ServeOptions.defaults());
        }

        public Builder service(String filter, RequestHandler handler, ServeOptions options) {
            Objects.requireNonNull(handler, "handler");
            return serviceAsync(filter, blocking(handler), options);
        }

        public Builder serviceAsync(String filter, AsyncRequestHandler handler, ServeOptions options) {
            declared.add(new Declared(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(handler, "handler"),
                    Objects.requireNonNull(options, "options")));
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + ": allowed 1..65535");
            }
            this.port = port;
            return this;
        }

        /** The MQTT client id; a random one ({@code rpc-<hex>}) unless set. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * The topic replies come on, instead of one under the broker's Response Information (or
         * {@value #DEFAULT_REPLY_PREFIX}{@code <random>} when the broker gives none). Must be a topic
         * name this client may subscribe to and responders may publish to.
         */
        public Builder replyTopic(String replyTopic) {
            Wire.checkTopicName(replyTopic);
            this.replyTopic = replyTopic;
            return this;
        }

        /** Whether to reconnect by itself after a lost connection (default true). */
        public Builder automaticReconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** Connects, subscribes to the reply topic and waits for both acknowledgements (30 s at most). */
        public RpcClient connect() {
            try {
                return connectAsync().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcCancelledException("interrupted while connecting to " + host + ":" + port);
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            } catch (TimeoutException e) {
                throw new ConnectionLostException("no answer from " + host + ":" + port + " within 30 s", e);
            }
        }

        public CompletableFuture<RpcClient> connectAsync() {
            String id = clientId != null ? clientId : "rpc-" + HexFormat.of().formatHex(random(8));
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "sb-rpc-timer-" + id);
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true); // a cancelled deadline leaves nothing queued
            RpcClient[] self = new RpcClient[1];
            Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5().identifier(id).serverHost(host).serverPort(port)
                    .addDisconnectedListener(ctx -> {
                        RpcClient c = self[0];
                        if (c == null || c.closed) {
                            return; // the first connect fails at once, not by retrying; a closed client stays closed
                        }
                        c.calls.connectionLost(ctx.getCause());
                        if (reconnect) {
                            // 0.5 s, doubling up to 30 s; subscriptions come back with the connection.
                            long delay = Math.min(30_000, 500L << Math.min(6, ctx.getReconnector().getAttempts()));
                            ctx.getReconnector().reconnect(true).resubscribeIfSessionExpired(true)
                                    .delay(delay, TimeUnit.MILLISECONDS);
                        }
                    });
            Mqtt5AsyncClient mqtt = b.buildAsync();
            Services services = new Services(mqtt, timer, id);
            List<Services.Served> prepared = new ArrayList<>();
            for (Declared d : declared) {
                prepared.add(services.prepare(d.filter(), d.handler(), d.options()));
            }
            // What no subscription callback takes: requests a resumed session gets before its callbacks exist.
            mqtt.publishes(MqttGlobalPublishFilter.REMAINING, p -> {
                if (services.dispatch(p)) {
                    return; // acknowledged once answered
                }
                RpcClient c = self[0];
                if (c != null && p.getTopic().toString().equals(c.replyTopic)) {
                    c.calls.onReply(p);
                }
                p.acknowledge();
            }, true);
            boolean persistent = sessionExpirySeconds > 0;
            var connect = mqtt.connectWith().cleanStart(!persistent).sessionExpiryInterval(sessionExpirySeconds)
                    .restrictions().requestResponseInformation(true).applyRestrictions();
            if (username != null) {
                connect = connect.simpleAuth().username(username).password(password == null ? new byte[0] : password)
                        .applySimpleAuth();
            }
            return connect.send().thenCompose((Mqtt5ConnAck ack) -> {
                String topic = replyTopic != null ? replyTopic : ack.getResponseInformation()
                        .map(info -> trimSlash(info.toString()) + "/rpc")
                        .orElse(DEFAULT_REPLY_PREFIX + (persistent ? derived(id) : HexFormat.of().formatHex(random(12))));
                RpcClient client = new RpcClient(mqtt, timer, id, topic, services);
                self[0] = client;
                return mqtt.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(client.calls::onReply)
                        .send().thenCompose((Mqtt5SubAck suback) -> {
                            if (suback.getReasonCodes().get(0).isError()) {
                                client.close();
                                throw new RpcException("the broker refused the subscription to the reply topic " + topic
                                        + ": " + suback.getReasonCodes().get(0));
                            }
                            return CompletableFuture.allOf(prepared.stream().map(services::subscribeAsync)
                                    .toArray(CompletableFuture[]::new)).thenApply(v -> client);
                        });
            }).whenComplete((c, e) -> {
                if (e != null) {
                    timer.shutdownNow();
                    mqtt.disconnect();
                }
            }).exceptionallyCompose(e -> {
                Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                return CompletableFuture.failedFuture(t instanceof RpcException ? t
                        : new ConnectionLostException("cannot connect to " + host + ":" + port + ": " + reason(t), t));
            });
        }

        /** The root cause's message, without the transport's class names. */
        private static String reason(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String m = root.getMessage() != null ? root.getMessage() : t.getMessage();
            if (m == null) {
                return root.getClass().getSimpleName();
            }
            int refused = m.indexOf("Connection refused");
            return refused >= 0 ? "connection refused" : m;
        }

        /** 24 hex digits derived from the client id: the same reply topic for the same session. */
        private static String derived(String clientId) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(h, 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String trimSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        private static byte[] random(int n) {
            byte[] b = new byte[n];
            new SecureRandom().nextBytes(b);
            return b;
        }
    }
}
