package io.switchboard.rpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final Link link;
    private final ScheduledThreadPoolExecutor timer;
    private final String clientId;
    private final String replyTopic;
    final Calls calls;
    private final Services services;
    volatile boolean closed;

    RpcClient(Link link, Format format, ScheduledThreadPoolExecutor timer, String clientId, String replyTopic,
            Services services, Duration linger) {
        this.link = link;
        this.timer = timer;
        this.clientId = clientId;
        this.replyTopic = replyTopic;
        this.calls = new Calls(link, format, timer, replyTopic, services.metrics(), linger);
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

    static AsyncRequestHandler blocking(RequestHandler handler) {
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

    /**
     * The topic this client's replies come on ({@link WireFormat#MQTT5}); null with the MQTT 3.1.1
     * formats, whose replies come on topics derived from each request's.
     */
    public String replyTopic() {
        return replyTopic;
    }

    public String clientId() {
        return clientId;
    }

    public RpcStats stats() {
        return new RpcStats(calls.pendingCount(), timer.getQueue().size(), services.count(), calls.replySubscriptions(),
                calls.calls.sum(),
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
            link.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // already disconnected
        } finally {
            timer.shutdownNow();
        }
    }

    static RpcException unwrap(Throwable e) {
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
        String host = "localhost";
        int port = 1883;
        String clientId;
        String username;
        byte[] password;
        String replyTopic;
        boolean reconnect = true;
        long sessionExpirySeconds;
        TlsOptions tls;
        RpcMetrics metrics;
        WireFormat format = WireFormat.MQTT5;
        Duration linger = Duration.ofSeconds(30);
        private final List<Declared> declared = new ArrayList<>();

        /** A service declared before connecting. */
        record Declared(String filter, AsyncRequestHandler handler, ServeOptions options) {
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

        /**
         * The Micrometer registry for the per-method timers {@code switchboard.rpc.calls} and
         * {@code switchboard.rpc.served} (docs/rpc.md, "Metrics"). Unless set, Micrometer's global
         * registry when Micrometer is on the class path, else none.
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.metrics = new MicrometerMetrics(Objects.requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * The wire format, and with it the MQTT version: {@link WireFormat#MQTT5} (the default)
         * connects with MQTT 5, {@link WireFormat#JSON_ENVELOPE} and {@link WireFormat#JSON_RPC} with
         * MQTT 3.1.1, for brokers and devices that speak only that.
         */
        public Builder wireFormat(WireFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * With the MQTT 3.1.1 formats, how long a reply subscription (one per request topic) stays
         * after its last call ended (default 30 s; zero: unsubscribed at once), so that a stream of
         * calls to one topic subscribes once. {@link RpcStats#replySubscriptions()} counts them.
         */
        public Builder replySubscriptionLinger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger " + linger + ": must not be negative");
            }
            this.linger = linger;
            return this;
        }

        /** Connects over TLS ({@code null}: plain TCP, the default). */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
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
            return Connector.connect(this, List.copyOf(declared));
        }
    }
}
