package io.switchboard.broker.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the broker keeps; updated from any event loop without contention. Every message the
 * broker decides not to deliver is counted here under its reason.
 */
public final class BrokerMetrics {
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder connectionsClosed = new LongAdder();
    public final LongAdder publishReceived = new LongAdder();
    public final LongAdder publishSent = new LongAdder();
    /** MQTT bytes read from clients (TLS and WebSocket framing not included). */
    public final LongAdder bytesReceived = new LongAdder();
    /** MQTT bytes written to clients. */
    public final LongAdder bytesSent = new LongAdder();
    /** Clients connected now (CONNACK 0x00 sent, connection open). */
    public final AtomicLong clientsConnected = new AtomicLong();
    /** The most clients connected at once since the broker started. */
    public final AtomicLong clientsMaximum = new AtomicLong();
    /** Messages waiting in session queues (not yet sent). */
    public final LongAdder queuedMessages = new LongAdder();
    /** QoS 1/2 messages (or QoS 0 when queued) not queued because the session queue was full. */
    public final LongAdder droppedQueueFull = new LongAdder();
    /** QoS 0 messages for a session that was offline (and QoS 0 queueing is off). */
    public final LongAdder droppedOfflineQos0 = new LongAdder();
    /** Messages whose Message Expiry Interval passed before they could be delivered. */
    public final LongAdder droppedExpired = new LongAdder();
    /** Messages larger than the receiving client's Maximum Packet Size ([MQTT-3.1.2-25]). */
    public final LongAdder droppedTooLarge = new LongAdder();
    /** QoS 0 messages dropped because the client was not reading fast enough. */
    public final LongAdder droppedSlowConsumer = new LongAdder();
    /** Messages not delivered because the authorizer no longer lets the subscriber receive them. */
    public final LongAdder droppedNotAuthorized = new LongAdder();
    /** PUBLISHes refused by authorization (and to $SYS topics). */
    public final LongAdder publishDenied = new LongAdder();
    /** Times a subscriber was declared slow. */
    public final LongAdder slowSubscribers = new LongAdder();
    /** Connections refused by a listener's bounds before any MQTT (max connections, pending CONNECTs, rate). */
    public final LongAdder connectionsRejected = new LongAdder();
    /** Failed TLS handshakes. */
    public final LongAdder tlsHandshakeFailures = new LongAdder();
    /** PUBLISHes with a Response Topic (requests) received from clients. */
    public final LongAdder rpcRequests = new LongAdder();
    /** PUBLISHes with Correlation Data and no Response Topic (replies) received from clients. */
    public final LongAdder rpcReplies = new LongAdder();
    /** Replies the broker sent because a request matched no subscriber. */
    public final LongAdder rpcNoResponderReplies = new LongAdder();
    /** Replies the broker sent because a request expired in a queue before delivery. */
    public final LongAdder rpcExpiryReplies = new LongAdder();

    /** Denials of access by action ({@code connect}, {@code publish}, {@code subscribe}, {@code receive}) and reason code. */
    private final ConcurrentHashMap<Denial, LongAdder> denials = new ConcurrentHashMap<>();

    /** The key of a denial counter: what was denied, and the reason code given (0x87, 0x86...). */
    public record Denial(String action, int reasonCode) implements Comparable<Denial> {
        @Override
        public int compareTo(Denial o) {
            int c = action.compareTo(o.action);
            return c != 0 ? c : Integer.compare(reasonCode, o.reasonCode);
        }

        /** As {@code publish 0x87}. */
        @Override
        public String toString() {
            return action + String.format(" 0x%02X", reasonCode);
        }
    }

    /** Counts a denial. */
    public void denied(String action, int reasonCode) {
        denials.computeIfAbsent(new Denial(action, reasonCode), k -> new LongAdder()).increment();
    }

    /** The denials so far, by action and reason code, in order. */
    public Map<Denial, Long> denials() {
        Map<Denial, Long> out = new TreeMap<>();
        denials.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** A client connected (CONNACK 0x00 sent). */
    public void clientConnected() {
        long now = clientsConnected.incrementAndGet();
        clientsMaximum.accumulateAndGet(now, Math::max);
    }

    public long connectionsActive() {
        return connectionsOpened.sum() - connectionsClosed.sum();
    }

    public long droppedTotal() {
        return droppedQueueFull.sum() + droppedOfflineQos0.sum() + droppedExpired.sum() + droppedTooLarge.sum()
                + droppedSlowConsumer.sum() + droppedNotAuthorized.sum();
    }
}
