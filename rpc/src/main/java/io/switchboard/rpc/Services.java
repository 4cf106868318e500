package io.switchboard.rpc;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The responder's side: each service is a subscription whose requests run on its own worker
 * threads; every request gets exactly one reply (success, empty, or error), unless its deadline
 * passed first.
 */
final class Services {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);
    private static final long SUBSCRIBE_TIMEOUT_SECONDS = 30;

    private final Link link;
    private final Format format;
    private final ScheduledExecutorService timer;
    private final String clientId;
    private final RpcMetrics metrics;
    private final Set<Served> served = ConcurrentHashMap.newKeySet();
    final LongAdder requests = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder notRequests = new LongAdder();

    Services(Link link, Format format, ScheduledExecutorService timer, String clientId, RpcMetrics metrics) {
        this.metrics = metrics;
        this.link = link;
        this.format = format;
        this.timer = timer;
        this.clientId = clientId;
    }

    RpcMetrics metrics() {
        return metrics;
    }

    int count() {
        return served.size();
    }

    Service serve(String filter, AsyncRequestHandler handler, ServeOptions options) {
        Served s = prepare(filter, handler, options);
        subscribe(s);
        return s;
    }

    /**
     * A service that takes requests at once (through {@link #dispatch}) but is not subscribed yet:
     * one declared before connecting, for a session that may hold requests queued while offline.
     */
    Served prepare(String filter, AsyncRequestHandler handler, ServeOptions options) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("filter: must not be empty");
        }
        String mqttFilter = format.serveFilter(filter);
        String subscription = options.group() == null ? mqttFilter : "$share/" + options.group() + "/" + mqttFilter;
        Served s = new Served(subscription, handler, options);
        served.add(s);
        return s;
    }

    /** Subscribes (again, for a resumed session) and waits for the SUBACK; throws when refused. */
    void subscribe(Served s) {
        try {
            subscribeAsync(s).get(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.stop();
            throw new RpcException("interrupted while subscribing to " + s.subscription);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RpcException r ? r : new RpcException(String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            s.stop();
            throw new ConnectionLostException("no SUBACK for " + s.subscription + " within " + SUBSCRIBE_TIMEOUT_SECONDS
                    + " s", e);
        }
    }

    /** Subscribes; completes once the SUBACK came, exceptionally (and the service stopped) when refused. */
    CompletableFuture<Void> subscribeAsync(Served s) {
        return link.subscribe(s.subscription, s.qos, true, s::onRequest).whenComplete((v, error) -> {
            if (error != null) {
                s.stop();
            }
        }).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return CompletableFuture.failedFuture(cause instanceof RpcException ? cause
                    : new ConnectionLostException("could not subscribe to " + s.subscription + ": " + cause.getMessage(),
                            cause));
        });
    }

    /**
     * A PUBLISH no subscription callback took: a request the broker sent as soon as a persistent
     * session resumed, before its subscription's callback was set up again. Handled by the service
     * whose filter matches; false when none does.
     */
    boolean dispatch(Link.Message message, Runnable ack) {
        String topic = message.topic();
        for (Served s : served) {
            if (TopicFilters.matches(s.subscription, topic)) {
                s.onRequest(message, ack);
                return true;
            }
        }
        return false;
    }

    void closeAll() {
        for (Served s : List.copyOf(served)) {
            s.stop();
        }
    }

    /** One subscription and its workers. */
    final class Served implements Service {
        private final String subscription;
        private final AsyncRequestHandler handler;
        private final ThreadPoolExecutor workers;
        private final Map<Object, CompletableFuture<Response>> recent;
        private final int cacheSize;
        private final int qos;

        Served(String subscription, AsyncRequestHandler handler, ServeOptions options) {
            this.subscription = subscription;
            this.qos = options.qos();
            this.handler = handler;
            AtomicInteger n = new AtomicInteger();
            this.workers = new ThreadPoolExecutor(options.concurrency(), options.concurrency(), 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "sb-rpc-serve-" + clientId + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            this.workers.allowCoreThreadTimeOut(true);
            this.cacheSize = options.duplicateCacheSize();
            this.recent = cacheSize == 0 ? null : new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Object, CompletableFuture<Response>> eldest) {
                    return size() > cacheSize;
                }
            };
        }

        @Override
        public String subscription() {
            return subscription;
        }

        void onRequest(Link.Message message, Runnable ack) {
            Instant now = Instant.now();
            Request request = format.request(message, now);
            if (request == null) {
                notRequests.increment(); // an ordinary message, a notification: nothing to answer
                ack.run();
                return;
            }
            if (request.deadline().isPresent() && now.isAfter(request.deadline().get())) {
                expired.increment(); // past its deadline on arrival (a 3.1.1 envelope's): the caller no longer waits
                ack.run();
                return;
            }
            byte[] correlation = request.rawCorrelationData();
            Instant deadline = request.deadline().orElse(null);
            CompletableFuture<Response> first = null;
            CompletableFuture<Response> result = new CompletableFuture<>();
            if (recent != null && correlation != null) {
                Object key = List.of(request.responseTopic(), ByteBuffer.wrap(correlation));
                synchronized (recent) {
                    first = recent.putIfAbsent(key, result);
                }
            }
            if (first != null) {
                duplicates.increment(); // seen before (a redelivery): the same reply, the handler not run again
                first.whenComplete((r, e) -> reply(message, ack, request, r, e));
                return;
            }
            long started = System.nanoTime();
            ScheduledFuture<?> cancel = deadline == null ? null : timer.schedule(() -> request.cancelled.complete(null),
                    Math.max(0, deadline.toEpochMilli() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> {
                if (cancel != null) {
                    cancel.cancel(false);
                }
                String outcome = reply(message, ack, request, r, e);
                metrics.served(subscription, outcome, System.nanoTime() - started);
            });
            try {
                workers.execute(() -> run(request, result));
            } catch (RuntimeException e) { // stopped meanwhile
                result.completeExceptionally(new RpcCancelledException("the service was closed"));
            }
        }

        private void run(Request request, CompletableFuture<Response> result) {
            requests.increment();
            try {
                CompletionStage<Response> stage = handler.handle(request);
                if (stage == null) {
                    result.complete(null);
                } else {
                    stage.whenComplete((r, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(r);
                        }
                    });
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        /** Sends the reply; returns the outcome for the metrics: ok, error, or expired (not sent). */
        private String reply(Link.Message message, Runnable ack, Request request, Response response, Throwable error) {
            String outcome = "ok";
            try {
                if (request.deadline().isPresent() && Instant.now().isAfter(request.deadline().get())) {
                    expired.increment(); // the caller has stopped waiting: a reply would only be dropped
                    return "expired";
                }
                Response out = error != null ? errorReply(error) : response == null ? Response.empty() : response;
                if (out.isError()) {
                    outcome = "error";
                }
                link.publish(format.reply(request, out, message.qos())).whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.debug("RPC: the reply to {} was not sent: {}", request.responseTopic(), e.toString());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("RPC: cannot reply to a request on {} (response topic '{}'): {}", request.topic(),
                        request.responseTopic(), e.getMessage());
            } finally {
                ack.run();
                request.cancelled.complete(null);
            }
            return outcome;
        }

        @Override
        public void close() {
            if (served.remove(this)) {
                link.unsubscribe(subscription);
                workers.shutdown();
            }
        }

        void stop() {
            served.remove(this);
            workers.shutdownNow();
        }
    }

    private static Response errorReply(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ResponderException r) {
            return Response.error(r.code(), r.errorMessage());
        }
        String message = e.getMessage();
        return Response.error(RpcHeaders.HANDLER_ERROR, e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

}
