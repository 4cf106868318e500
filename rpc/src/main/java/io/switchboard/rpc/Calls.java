package io.switchboard.rpc;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
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
 * The caller's side: the table of calls waiting for a reply, keyed by their Correlation Data, and
 * the one reply subscription every reply comes on. Correlation Data is 16 bytes: 8 random bytes
 * drawn once per client (so that replies to another client, or to an earlier run of this one, are
 * never taken for ours) and a counter.
 */
final class Calls {
    private static final int CORRELATION_LENGTH = 16;

    private final Mqtt5AsyncClient mqtt;
    private final ScheduledExecutorService timer;
    private final String replyTopic;
    private final RpcMetrics metrics;
    private final long prefix = new SecureRandom().nextLong();
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

    Calls(Mqtt5AsyncClient mqtt, ScheduledExecutorService timer, String replyTopic, RpcMetrics metrics) {
        this.metrics = metrics;
        this.mqtt = mqtt;
        this.timer = timer;
        this.replyTopic = replyTopic;
    }

    int pendingCount() {
        return pending.size();
    }

    CompletableFuture<Reply> call(String topic, byte[] payload, CallOptions options) {
        Wire.checkTopicName(topic);
        CompletableFuture<Reply> future = new CompletableFuture<>();
        start(new Pending(future, topic, Math.max(1, options.timeout().toMillis())), payload, options);
        return future;
    }

    /** One request, the replies of up to {@code wanted} responders, until the deadline. */
    CompletableFuture<List<Reply>> gather(String topic, byte[] payload, CallOptions options, int wanted) {
        Wire.checkTopicName(topic);
        CompletableFuture<List<Reply>> all = new CompletableFuture<>();
        start(new Gathering(all, topic, Math.max(1, options.timeout().toMillis()), wanted), payload, options);
        return all;
    }

    private void start(Pending p, byte[] payload, CallOptions options) {
        calls.increment();
        long id = counter.incrementAndGet();
        pending.put(id, p);
        p.timer = timer.schedule(() -> timedOut(id, p), p.timeoutMillis, TimeUnit.MILLISECONDS);
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
        });
        publish(id, p, p.topic, payload, options);
    }

    private void publish(long id, Pending p, String topic, byte[] payload, CallOptions options) {
        byte[] correlation = ByteBuffer.allocate(CORRELATION_LENGTH).putLong(prefix).putLong(id).array();
        // The request expires when the caller stops waiting: a device that was offline never runs a stale one.
        long expirySeconds = Math.max(1, (p.timeoutMillis + 999) / 1000);
        CompletableFuture<Mqtt5PublishResult> sent;
        try {
            sent = mqtt.publishWith().topic(topic).qos(MqttQos.fromCode(options.qos())).payload(payload)
                    .responseTopic(replyTopic).correlationData(correlation).messageExpiryInterval(expirySeconds)
                    .contentType(options.contentType()).userProperties(Wire.to(requestProperties(options))).send();
        } catch (RuntimeException e) {
            fail(id, p, new RpcException("the request to " + topic + " could not be sent: " + e.getMessage(), e));
            return;
        }
        sent.whenComplete((result, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                connectionLost(id, p, cause);
                return;
            }
            checkAcknowledgement(id, p, result);
        });
    }

    private static List<UserProperty> requestProperties(CallOptions options) {
        if (options.traceparent() == null) {
            return options.userProperties();
        }
        List<UserProperty> all = new ArrayList<>(options.userProperties());
        all.add(new UserProperty(RpcHeaders.TRACEPARENT, options.traceparent()));
        return all;
    }

    /** A QoS 1 or 2 request's PUBACK or PUBREC: "no matching subscribers" fails the call at once. */
    private void checkAcknowledgement(long id, Pending p, Mqtt5PublishResult result) {
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
            Mqtt5PubAckReasonCode code = q1.getPubAck().getReasonCode();
            if (code == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
                noResponder(id, p, "PUBACK 0x10");
                return;
            }
            if (code.isError()) {
                refused(id, p, code.name(), code.getCode(), q1.getPubAck().getReasonString().map(Object::toString).orElse(""));
                return;
            }
        } else if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2) {
            Mqtt5PubRecReasonCode code = q2.getPubRec().getReasonCode();
            if (code == Mqtt5PubRecReasonCode.NO_MATCHING_SUBSCRIBERS) {
                noResponder(id, p, "PUBREC 0x10");
                return;
            }
            if (code.isError()) {
                refused(id, p, code.name(), code.getCode(), q2.getPubRec().getReasonString().map(Object::toString).orElse(""));
                return;
            }
        }
        result.getError().ifPresent(e -> fail(id, p, new RpcException("the request to " + p.topic + " failed: " + e, e)));
    }

    private void noResponder(long id, Pending p, String how) {
        if (pending.remove(id, p)) {
            noResponders.increment();
            p.fail(new NoResponderException("no responder is subscribed to " + p.topic
                    + " (the broker answered the request with " + how + " No matching subscribers)"));
        }
    }

    private void refused(long id, Pending p, String name, int code, String reason) {
        fail(id, p, new RpcException(String.format("the broker refused the request to %s: 0x%02X %s%s", p.topic, code,
                name, reason.isEmpty() ? "" : " (" + reason + ")")));
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

    /** A PUBLISH on the reply topic: matched by its Correlation Data only. */
    void onReply(Mqtt5Publish publish) {
        Long id = publish.getCorrelationData().map(this::idOf).orElse(null);
        Pending p = id == null ? null : pending.get(id);
        if (p == null) {
            dropped.increment(); // late, duplicated, or not ours
            return;
        }
        List<UserProperty> properties = Wire.from(publish.getUserProperties());
        Reply reply = new Reply(publish.getTopic().toString(), publish.getPayloadAsBytes(),
                publish.getContentType().map(Object::toString).orElse(null), properties);
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

    private Long idOf(ByteBuffer correlation) {
        if (correlation.remaining() != CORRELATION_LENGTH) {
            return null;
        }
        ByteBuffer b = correlation.duplicate();
        return b.getLong() == prefix ? b.getLong() : null;
    }
}
