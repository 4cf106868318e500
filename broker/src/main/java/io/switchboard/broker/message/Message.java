package io.switchboard.broker.message;

import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.LongSupplier;

/**
 * An application message as the broker holds it: immutable and shared by every subscriber, queue
 * and retained slot that refers to it. Besides its content it carries three fields for durable
 * storage, which stores a message once however many sessions hold it: its id there, how many
 * stored deliveries refer to it (touched only by the storage's writer), and a slot the storage uses
 * to find a write of it still waiting (so that a delivery done before it is written is never written).
 */
public final class Message {
    private final String topic;
    private final int qos;
    private final boolean retain;
    private final Payload payload;
    private final Properties properties;
    private final String publisherId;
    private final long expiresAtMillis;
    /** {@link System#nanoTime()} when its PUBLISH was received, or 0 (see {@link #receivedNanos()}). */
    private final long receivedNanos;
    /** The id under which durable storage keeps it, 0 until it is first stored. */
    private volatile long storageId;
    private static final AtomicLongFieldUpdater<Message> STORAGE_ID =
            AtomicLongFieldUpdater.newUpdater(Message.class, "storageId");
    /** Stored deliveries referring to it; only the storage's writer thread reads or writes it. */
    private int storedRefs;
    /** Owned by the storage implementation: a pending write of this message, or null. */
    private volatile Object pendingWrite;
    private static final AtomicReferenceFieldUpdater<Message, Object> PENDING_WRITE =
            AtomicReferenceFieldUpdater.newUpdater(Message.class, Object.class, "pendingWrite");

    /**
     * @param properties only the properties forwarded unchanged to subscribers (Payload Format
     *     Indicator, Content Type, Response Topic, Correlation Data and User Properties, in order)
     * @param publisherId the client id of the publisher, for No Local; empty for the broker's own messages
     * @param expiresAtMillis wall-clock time at which the message expires, or 0 for never
     */
    public Message(String topic, int qos, boolean retain, Payload payload, Properties properties,
            String publisherId, long expiresAtMillis) {
        this(topic, qos, retain, payload, properties, publisherId, expiresAtMillis, 0);
    }

    /**
     * @param receivedNanos {@link System#nanoTime()} when the PUBLISH it came in was received, for
     *     the publish-to-delivery latency; 0 when it came in no PUBLISH of this process
     * @see #Message(String, int, boolean, Payload, Properties, String, long)
     */
    public Message(String topic, int qos, boolean retain, Payload payload, Properties properties,
            String publisherId, long expiresAtMillis, long receivedNanos) {
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.properties = properties;
        this.publisherId = publisherId;
        this.expiresAtMillis = expiresAtMillis;
        this.receivedNanos = receivedNanos;
    }

    public String topic() {
        return topic;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    public Payload payload() {
        return payload;
    }

    public Properties properties() {
        return properties;
    }

    public String publisherId() {
        return publisherId;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /**
     * {@link System#nanoTime()} when the client's PUBLISH that carried it was received, taken once
     * per PUBLISH whatever the number of subscribers; 0 for a message the broker made (a Will, $SYS)
     * or read back from storage after a restart, whose latency is not measured.
     */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** Its id in durable storage, 0 if never stored. */
    public long storageId() {
        return storageId;
    }

    /** Its id in durable storage, taken from {@code next} if it has none yet (once, whatever the threads). */
    public long assignStorageId(LongSupplier next) {
        long id = storageId;
        if (id != 0) {
            return id;
        }
        STORAGE_ID.compareAndSet(this, 0, next.getAsLong());
        return storageId;
    }

    /** The storage's pending write of this message, or null (see {@link #casPendingWrite}). */
    public Object pendingWrite() {
        return pendingWrite;
    }

    /** Sets the storage's pending write from {@code expected} to {@code write}, atomically; whether it did. */
    public boolean casPendingWrite(Object expected, Object write) {
        return PENDING_WRITE.compareAndSet(this, expected, write);
    }

    /** Changes the count of stored deliveries by {@code delta} and returns the new count (storage writer only). */
    public int addStoredRefs(int delta) {
        storedRefs += delta;
        return storedRefs;
    }

    /**
     * A message received in a PUBLISH; {@code topic} is the topic name after any alias was resolved,
     * {@code receivedNanos} the {@link System#nanoTime()} at which the PUBLISH was received.
     */
    public static Message fromPublish(PublishPacket p, String topic, String publisherId, long nowMillis,
            long receivedNanos) {
        return new Message(topic, p.qos(), p.retain(), p.payload(), forwarded(p.properties()), publisherId,
                expiry(p.properties(), nowMillis), receivedNanos);
    }

    /** The message a Will becomes when it is published; will properties are carried over. */
    public static Message fromWill(Will w, String publisherId, long nowMillis) {
        return new Message(w.topic(), w.qos(), w.retain(), w.payload(), forwarded(w.properties()), publisherId,
                expiry(w.properties(), nowMillis));
    }

    private static long expiry(Properties props, long now) {
        Long interval = props.messageExpiryInterval();
        return interval == null ? 0 : now + interval * 1000;
    }

    /**
     * The properties a subscriber receives unchanged ([MQTT-3.3.2-4] Payload Format Indicator,
     * [MQTT-3.3.2-20] Content Type, [MQTT-3.3.2-15] Response Topic, [MQTT-3.3.2-16] Correlation
     * Data, [MQTT-3.3.2-17] / [MQTT-3.3.2-18] User Properties in order). Topic Alias and Message
     * Expiry Interval are set per delivery; a Will Delay Interval is not forwarded.
     */
    static Properties forwarded(Properties p) {
        if (p.payloadFormatIndicator() == null && p.contentType() == null && p.responseTopic() == null
                && p.correlationData() == null && p.userProperties().isEmpty()) {
            return Properties.EMPTY;
        }
        return Properties.builder()
                .payloadFormatIndicator(p.payloadFormatIndicator())
                .contentType(p.contentType())
                .responseTopic(p.responseTopic())
                .correlationData(p.correlationData())
                .userProperties(p.userProperties())
                .build();
    }

    /**
     * Whether it has a Message Expiry Interval. Without one (the common case) neither
     * {@link #isExpired} nor {@link #remainingExpirySeconds} needs the time, so callers on the
     * PUBLISH path ask this first and read no clock.
     */
    public boolean expires() {
        return expiresAtMillis != 0;
    }

    /** Expired once its Message Expiry Interval has passed ([MQTT-3.3.2-5]). */
    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis > expiresAtMillis;
    }

    /**
     * The Message Expiry Interval to send on, in whole seconds rounded up, or null when the message
     * never expires: the received value minus the time it waited in the broker ([MQTT-3.3.2-6]).
     */
    public Long remainingExpirySeconds(long nowMillis) {
        if (expiresAtMillis == 0) {
            return null;
        }
        long remaining = expiresAtMillis - nowMillis;
        return remaining <= 0 ? 0L : (remaining + 999) / 1000;
    }


    /** Bytes this message costs in a queue, for the queue's byte bound. */
    public long weight() {
        return payload.size() + topic.length() + 64L;
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", QoS " + qos + (retain ? ", retained" : "") + ", " + payload.size() + " bytes]";
    }
}
