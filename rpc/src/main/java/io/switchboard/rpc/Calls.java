package io.switchboard.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The caller's side: the table of calls waiting for a reply, keyed by the call's number (which the
 * wire format puts in the request with a random part drawn once per client, so that replies to
 * another client, or to an earlier run of this one, are never taken for ours), and the
 * subscriptions replies come on: the client's one reply topic (MQTT 5), or one per request topic
 * ({@link ReplyRoutes}, MQTT 3.1.1).
 */
final class Calls {
    private final Link link;
    private final Format format;
    private final ReplyRoutes routes;
    private final ScheduledExecutorService timer;
    private final String replyTopic;
    private final RpcMetrics metrics;
    private final AtomicLong counter = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    final LongAdder calls = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder noResponders = new LongAdder();
    final LongAdder responderErrors = new LongAdder();
    final LongAdder connectionLosses = new LongAdder();

    /** A call waiting for its reply, or (gathering) for its replies. */
    private static class Pending {
        final CompletableFuture<Reply> future;
        final String topic;
        final long timeoutMillis;
        volatile ScheduledFuture<?> timer;

        Pending(CompletableFuture<Reply> future, String topic, long timeoutMillis) {
            this.future = future;
            this.topic = topic;
            this.timeoutMillis = timeoutMillis;
        }

        CompletableFuture<?> done() {
            return future;
        }

        /** Takes a reply; whether the call is over. */
        boolean accept(Reply r) {
            return future.complete(r);
        }

        /** Whether the deadline ends it without a failure (a gathering call). */
        boolean endsAtDeadline() {
            return false;
        }

        void fail(Throwable e) {
            done().completeExceptionally(e);
        }
    }

    /** A call that gathers replies from several responders until it has {@code wanted} or its deadline passes. */
    private static final class Gathering extends Pending {
        private final CompletableFuture<List<Reply>> all;
        private final int wanted;
        private final List<Reply> got = new ArrayList<>();

        Gathering(CompletableFuture<List<Reply>> all, String topic, long timeoutMillis, int wanted) {
            super(null, topic, timeoutMillis);
            this.all = all;
            this.wanted = wanted;
        }

        @Override
        CompletableFuture<?> done() {
            return all;
        }

        @Override
        synchronized boolean accept(Reply r) {
            got.add(r);
            if (got.size() >= wanted) {
                all.complete(List.copyOf(got));
                return true;
            }
            return false;
        }

        @Override
        boolean endsAtDeadline() {
            return true;
        }

        synchronized void finish() {
            all.complete(List.copyOf(got));
        }

        synchronized boolean isEmpty() {
            return got.isEmpty();
        }
    }

    Calls(Link link, Format format, ScheduledExecutorService timer, String replyTopic, RpcMetrics metrics,
            Duration linger) {
        this.link = link;
        this.format = format;
        this.metrics = metrics;
        this.timer = timer;
        this.replyTopic = replyTopic;
        this.routes = new ReplyRoutes(link, (m, ack) -> onReply(m), timer, linger);
    }

    /** Reply subscriptions held now: the one reply topic's (MQTT 5) is not counted. */
    int replySubscriptions() {
        return routes.count();
    }

    int pendingCount() {
        return pending.size();
    }

    CompletableFuture<Reply> call(String topic, byte[] payload, CallOptions options) {
        format.requestTopic(topic); // a bad topic fails here, before anything is kept
        CompletableFuture<Reply> future = new CompletableFuture<>();
        start(new Pending(future, topic, Math.max(1, options.timeout().toMillis())), payload, options);
        return future;
    }

    /** One request, the replies of up to {@code wanted} responders, until the deadline. */
    CompletableFuture<List<Reply>> gather(String topic, byte[] payload, CallOptions options, int wanted) {
        format.requestTopic(topic);
        CompletableFuture<List<Reply>> all = new CompletableFuture<>();
        start(new Gathering(all, topic, Math.max(1, options.timeout().toMillis()), wanted), payload, options);
        return all;
    }

    private void start(Pending p, byte[] payload, CallOptions options) {
        long id = counter.incrementAndGet();
        // A payload the format cannot carry throws here, before anything is kept.
        Link.Message request = format.request(p.topic, payload, options, id, p.timeoutMillis, replyTopic);
        calls.increment();
        pending.put(id, p);
        p.timer = timer.schedule(() -> timedOut(id, p), p.timeoutMillis, TimeUnit.MILLISECONDS);
        String filter = format.replyFilter(p.topic);
        // Whatever ends the call (reply, failure, timeout, the caller's cancel), nothing is left behind.
        long started = System.nanoTime();
        String method = options.method() != null ? options.method() : p.topic;
        p.done().whenComplete((r, e) -> {
            metrics.call(method, RpcMetrics.outcome(e), System.nanoTime() - started);
            pending.remove(id, p);
            ScheduledFuture<?> t = p.timer;
            if (t != null) {
                t.cancel(false);
            }
            if (filter != null) {
                routes.release(filter);
            }
        });
        if (filter == null) {
            publish(id, p, request);
            return;
        }
        // The reply's subscription is acknowledged before the request goes out: no reply can come first.
        routes.acquire(filter).whenComplete((v, e) -> {
            if (e == null) {
                publish(id, p, request);
            } else {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                fail(id, p, cause instanceof RpcException r ? r : new ConnectionLostException("could not subscribe to "
                        + filter + " for the reply: " + cause.getMessage(), cause));
            }
        });
    }

    private void publish(long id, Pending p, Link.Message request) {
        CompletableFuture<Link.Ack> sent;
        try {
            sent = link.publish(request);
        } catch (RuntimeException e) {
            fail(id, p, new RpcException("the request to " + p.topic + " could not be sent: " + e.getMessage(), e));
            return;
        }
        sent.whenComplete((ack, error) -> {
            if (error == null) {
                checkAcknowledgement(id, p, ack, request.qos());
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RpcException r) {
                fail(id, p, r);
            } else {
                connectionLost(id, p, cause);
            }
        });
    }

    /** A QoS 1 or 2 request's PUBACK or PUBREC: "no matching subscribers" fails the call at once. */
    private void checkAcknowledgement(long id, Pending p, Link.Ack ack, int qos) {
        if (ack.code() == Link.Ack.NO_MATCHING_SUBSCRIBERS) {
            noResponder(id, p, (qos == 1 ? "PUBACK" : "PUBREC") + " 0x10");
        } else if (ack.isError()) {
            fail(id, p, new RpcException(String.format("the broker refused the request to %s: 0x%02X%s", p.topic,
                    ack.code(), ack.reason().isEmpty() ? "" : " (" + ack.reason() + ")")));
        }
    }

    private void noResponder(long id, Pending p, String how) {
        if (pending.remove(id, p)) {
            noResponders.increment();
            p.fail(new NoResponderException("no responder is subscribed to " + p.topic
                    + " (the broker answered the request with " + how + " No matching subscribers)"));
        }
    }

    private void fail(long id, Pending p, RpcException e) {
        if (pending.remove(id, p)) {
            p.fail(e);
        }
    }

    private void timedOut(long id, Pending p) {
        if (pending.remove(id, p)) {
            if (p instanceof Gathering g) {
                g.finish(); // what came by the deadline is the result
                return;
            }
            timeouts.increment();
            p.fail(new RpcTimeoutException("no reply to the request to " + p.topic + " within " + p.timeoutMillis + " ms",
                    false));
        }
    }

    private void connectionLost(long id, Pending p, Throwable cause) {
        if (pending.remove(id, p)) {
            connectionLosses.increment();
            p.fail(new ConnectionLostException("the connection to the broker was lost before"
                    + " the reply to the request to " + p.topic + " came: " + cause.getMessage(), cause));
        }
    }

    /** Every waiting call fails: the connection is gone, and with it the replies it would have carried. */
    void connectionLost(Throwable cause) {
        for (Map.Entry<Long, Pending> e : List.copyOf(pending.entrySet())) {
            connectionLost(e.getKey(), e.getValue(), cause);
        }
    }

    /** Every waiting call fails with {@link RpcCancelledException}: the client is closing. */
    void cancelAll(String why) {
        for (Map.Entry<Long, Pending> e : List.copyOf(pending.entrySet())) {
            fail(e.getKey(), e.getValue(), new RpcCancelledException(why));
        }
    }

    /** A message that no subscription's callback took: a reply when it came on one of the reply subscriptions. */
    boolean onRemaining(Link.Message m) {
        if (m.topic().equals(replyTopic) || routes.covers(m.topic())) {
            onReply(m);
            return true;
        }
        return false;
    }

    /** A PUBLISH on a reply subscription: matched to its call by the wire format's correlation only. */
    void onReply(Link.Message m) {
        Format.Answer answer = format.reply(m);
        Long id = answer == null ? null : answer.id();
        Pending p = id == null ? null : pending.get(id);
        if (p == null) {
            dropped.increment(); // late, duplicated, or not ours
            return;
        }
        Reply reply = answer.reply();
        List<UserProperty> properties = reply.userProperties();
        String status = Wire.first(properties, RpcHeaders.STATUS).orElse(RpcHeaders.OK);
        if (p instanceof Gathering g) {
            gathered(id, g, reply, status);
            return;
        }
        if (!pending.remove(id, p)) {
            dropped.increment(); // ended meanwhile
            return;
        }
        switch (status) {
            case RpcHeaders.ERROR -> {
                responderErrors.increment();
                p.fail(new ResponderException(Wire.first(properties, RpcHeaders.CODE).orElse(RpcHeaders.HANDLER_ERROR),
                        Wire.first(properties, RpcHeaders.MESSAGE).orElse(""), reply));
            }
            case RpcHeaders.NO_RESPONDERS -> {
                noResponders.increment();
                p.fail(new NoResponderException("no responder is subscribed to " + p.topic
                        + " (the broker replied " + Wire.first(properties, RpcHeaders.MESSAGE).orElse("no responders") + ")"));
            }
            case RpcHeaders.EXPIRED -> {
                timeouts.increment();
                p.fail(new RpcTimeoutException("the request to " + p.topic
                        + " expired in a responder's queue before it was delivered (the broker's reply)", true));
            }
            default -> {
                replies.increment();
                p.accept(reply);
            }
        }
    }

    /** A reply to a gathering call: every responder's answer counts, errors included (see {@link Reply#isError()}). */
    private void gathered(long id, Gathering g, Reply reply, String status) {
        switch (status) {
            case RpcHeaders.NO_RESPONDERS -> {
                if (g.isEmpty() && pending.remove(id, g)) {
                    noResponders.increment();
                    g.fail(new NoResponderException("no responder is subscribed to " + g.topic + " (the broker's reply)"));
                }
            }
            case RpcHeaders.EXPIRED -> dropped.increment(); // one queue's copy expired: the others may still answer
            default -> {
                if (RpcHeaders.ERROR.equals(status)) {
                    responderErrors.increment();
                } else {
                    replies.increment();
                }
                if (g.accept(reply)) {
                    pending.remove(id, g);
                }
            }
        }
    }

}
