package io.switchboard.broker.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters, gauges and histograms the broker keeps; updated from any event loop without contention
 * (adders, no lock, nothing allocated per message), read by whoever exports them ($SYS, an admin
 * endpoint). Every message the broker decides not to deliver is counted here under its reason.
 */
public final class BrokerMetrics {
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder connectionsClosed = new LongAdder();
    /**
     * PUBLISH packets received from clients and admitted (routed), by their QoS: not those refused
     * (a $SYS topic, not authorized, a broken rule) nor a QoS 2 resend before PUBREL.
     */
    public final PerQos messagesReceived = new PerQos();
    /** Payload bytes of {@link #messagesReceived}, by QoS. */
    public final PerQos payloadBytesReceived = new PerQos();
    /**
     * PUBLISH packets written to clients, by the QoS they were sent at (the lower of the message's
     * and the subscription's), resends (DUP) and retained messages sent on SUBSCRIBE included.
     */
    public final PerQos messagesSent = new PerQos();
    /** Payload bytes of {@link #messagesSent}, by QoS. */
    public final PerQos payloadBytesSent = new PerQos();
    /**
     * Deliveries the router handed to sessions: one per subscriber session a message matched (one
     * member per shared group), whether it is then sent, queued for an offline session or dropped.
     * A message handed from a member of a shared group to another is not counted again.
     */
    public final LongAdder deliveries = new LongAdder();
    /** MQTT bytes read from clients (TLS and WebSocket framing not included). */
    public final LongAdder bytesReceived = new LongAdder();
    /** MQTT bytes written to clients. */
    public final LongAdder bytesSent = new LongAdder();
    /** Clients connected now (CONNACK 0x00 sent, connection open). */
    public final AtomicLong clientsConnected = new AtomicLong();
    /** The most clients connected at once since the broker started. */
    public final AtomicLong clientsMaximum = new AtomicLong();
    /** Messages waiting in session queues (not yet sent). A gauge. */
    public final LongAdder queuedMessages = new LongAdder();
    /**
     * QoS 1/2 messages in flight across all sessions, online or not: sent (or about to be: a stored
     * QoS 2 waiting for its packet id to be durable, one to resend on resume) and not yet completed
     * by PUBACK or PUBCOMP, nor dropped, handed over or discarded with their session. A gauge.
     */
    public final LongAdder inflightMessages = new LongAdder();
    /**
     * From receiving a client's PUBLISH (before it is admitted) to writing it to a subscriber's
     * connection, in nanoseconds: one value per PUBLISH written the first time (not a DUP resend),
     * the time queued for an offline session included. Not recorded: messages the broker made (Wills,
     * $SYS), those recovered from storage after a restart, and PUBLISHes sent with RETAIN set (a
     * retained message sent on SUBSCRIBE may be of any age; a live one to a Retain As Published
     * subscription looks the same and is left out with it). {@code System.nanoTime()} is read twice
     * per PUBLISH delivered: once when it is received (whatever the number of subscribers), once
     * when it is written to each subscriber.
     */
    public final LatencyHistogram publishLatency = new LatencyHistogram();
    /**
     * RocksDB: the time of each group write, in nanoseconds: the one RocksDB write of the batches
     * waiting together, with its fsync when one is due ({@code durability: sync} and someone waits),
     * or the fsync alone when every operation of the group cancelled out. On the storage's writer thread.
     */
    public final LatencyHistogram storageWriteNanos = new LatencyHistogram();
    /**
     * RocksDB: the number of batches each group write (as {@link #storageWriteNanos}) committed
     * together; with {@code durability: sync}, how many batches one fsync served.
     */
    public final SizeHistogram storageGroupBatches = new SizeHistogram();
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

    /** Refusing CONNACKs by reason code. */
    private final ConcurrentHashMap<Integer, LongAdder> refusals = new ConcurrentHashMap<>();

    /**
     * Counts a CONNACK with a non-zero reason code: the MQTT 5 reason code (0x87, 0x86...), also for
     * a 3.1.1 client, which gets the return code the broker maps it to (0x87 Not authorized is 5).
     */
    public void refused(int reasonCode) {
        LongAdder a = refusals.get(reasonCode);
        if (a == null) {
            a = refusals.computeIfAbsent(reasonCode, k -> new LongAdder());
        }
        a.increment();
    }

    /** The refusing CONNACKs so far, by MQTT 5 reason code, in order of the code. */
    public Map<Integer, Long> connectionsRefused() {
        Map<Integer, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
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
