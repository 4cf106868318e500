package io.switchboard.broker.storage.rocksdb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.SubscriptionRecord;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary form of what is stored: keys and values of each column family. Every value starts
 * with a one-byte layout version, so that a later format can still read it; the store as a whole
 * carries {@link RocksStorage#FORMAT_VERSION}. Keys that belong to a session start with its client
 * id and a 0 byte (MQTT strings cannot contain U+0000 [MQTT-1.5.4-2]), so a session's entries are
 * one contiguous range, in the order of what follows.
 */
final class Records {
    private static final int LAYOUT = 1;

    private Records() {
    }

    // ---- keys ----

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The first key of a session's range: client id, 0. */
    static byte[] sessionPrefix(String clientId) {
        byte[] id = utf8(clientId);
        return Arrays.copyOf(id, id.length + 1);
    }

    /** The key just after a session's range: client id, 1. */
    static byte[] sessionPrefixEnd(String clientId) {
        byte[] p = sessionPrefix(clientId);
        p[p.length - 1] = 1;
        return p;
    }

    static byte[] subscriptionKey(String clientId, String filter) {
        return concat(sessionPrefix(clientId), utf8(filter));
    }

    /** Client id, 0, message id (8 bytes, big-endian: in the order deliveries were made), shared filter. */
    static byte[] deliveryKey(String clientId, long messageId, String sharedFilter) {
        byte[] prefix = sessionPrefix(clientId);
        byte[] shared = sharedFilter == null ? new byte[0] : utf8(sharedFilter);
        return ByteBuffer.allocate(prefix.length + 8 + shared.length).put(prefix).putLong(messageId).put(shared)
                .array();
    }

    static byte[] pubrelKey(String clientId, int packetId) {
        byte[] prefix = sessionPrefix(clientId);
        byte[] k = Arrays.copyOf(prefix, prefix.length + 2);
        k[prefix.length] = (byte) (packetId >> 8);
        k[prefix.length + 1] = (byte) packetId;
        return k;
    }

    static byte[] messageKey(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    static long messageId(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    /** The client id a session key starts with. */
    static String clientIdOf(byte[] key) {
        return new String(key, 0, separator(key), StandardCharsets.UTF_8);
    }

    /** What follows the client id and its 0 byte. */
    static ByteBuf rest(byte[] key) {
        int at = separator(key) + 1;
        return Unpooled.wrappedBuffer(key, at, key.length - at);
    }

    private static int separator(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("key without a client id separator");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---- messages ----

    static byte[] message(Message m) {
        ByteBuf b = scratch(64 + m.topic().length() + m.payload().size());
        b.writeByte(LAYOUT).writeByte(m.qos()).writeBoolean(m.retain()).writeLong(m.expiresAtMillis());
        string(b, m.topic());
        string(b, m.publisherId());
        properties(b, m.properties(), PropertyScope.PUBLISH);
        bytes(b, m.payload().unsafeBytes());
        return array(b);
    }

    static Message message(byte[] value) {
        ByteBuf b = Unpooled.wrappedBuffer(value);
        layout(b, "message");
        int qos = b.readByte();
        boolean retain = b.readBoolean();
        long expiresAt = b.readLong();
        String topic = string(b);
        String publisher = string(b);
        Properties props = PropertiesCodec.decode(b, PropertyScope.PUBLISH);
        Payload payload = Payload.wrap(bytes(b));
        return new Message(topic, qos, retain, payload, props, publisher, expiresAt);
    }

    // ---- deliveries ----

    static byte[] delivery(QueuedMessage q, int packetId, boolean released) {
        ByteBuf b = scratch(8 + 4 * q.subscriptionIds().size());
        b.writeByte(LAYOUT).writeByte(q.qos()).writeByte((q.retain() ? 1 : 0) | (released ? 2 : 0))
                .writeShort(packetId).writeShort(q.subscriptionIds().size());
        for (int id : q.subscriptionIds()) {
            b.writeInt(id);
        }
        return array(b);
    }

    /** A delivery read back: the delivery itself, its packet id and whether PUBREL was sent. */
    record Delivery(QueuedMessage message, int packetId, boolean released) {
    }

    static Delivery delivery(byte[] key, byte[] value, Message m) {
        ByteBuf k = rest(key);
        k.readLong();
        String shared = k.isReadable() ? k.toString(StandardCharsets.UTF_8) : null;
        ByteBuf b = Unpooled.wrappedBuffer(value);
        layout(b, "delivery");
        int qos = b.readByte();
        int flags = b.readByte();
        int packetId = b.readUnsignedShort();
        int n = b.readUnsignedShort();
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(b.readInt());
        }
        return new Delivery(new QueuedMessage(m, qos, (flags & 1) != 0, ids, shared, true), packetId,
                (flags & 2) != 0);
    }

    // ---- sessions and subscriptions ----

    static byte[] session(SessionRecord r) {
        ByteBuf b = scratch(64);
        b.writeByte(LAYOUT).writeLong(r.expiryIntervalSeconds()).writeLong(r.disconnectedAtMillis());
        nullableString(b, r.authenticationName());
        nullableString(b, r.listener());
        Will w = r.will();
        b.writeBoolean(w != null);
        if (w != null) {
            b.writeByte(w.qos()).writeBoolean(w.retain());
            string(b, w.topic());
            properties(b, w.properties(), PropertyScope.WILL);
            bytes(b, w.payload().unsafeBytes());
        }
        return array(b);
    }

    static SessionRecord session(String clientId, byte[] value) {
        ByteBuf b = Unpooled.wrappedBuffer(value);
        layout(b, "session");
        long expiry = b.readLong();
        long disconnectedAt = b.readLong();
        String authName = nullableString(b);
        String listener = nullableString(b);
        Will will = null;
        if (b.readBoolean()) {
            int qos = b.readByte();
            boolean retain = b.readBoolean();
            String topic = string(b);
            Properties props = PropertiesCodec.decode(b, PropertyScope.WILL);
            will = new Will(topic, Payload.wrap(bytes(b)), qos, retain, props);
        }
        return new SessionRecord(clientId, expiry, disconnectedAt, will, authName, listener);
    }

    static byte[] subscription(SubscriptionRecord s) {
        ByteBuf b = scratch(12);
        b.writeByte(LAYOUT).writeByte(s.qos()).writeByte((s.noLocal() ? 1 : 0) | (s.retainAsPublished() ? 2 : 0))
                .writeByte(s.retainHandling()).writeInt(s.subscriptionId());
        return array(b);
    }

    static SubscriptionRecord subscription(byte[] key, byte[] value) {
        String filter = rest(key).toString(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.wrappedBuffer(value);
        layout(b, "subscription");
        int qos = b.readByte();
        int flags = b.readByte();
        int retainHandling = b.readByte();
        return new SubscriptionRecord(filter, qos, (flags & 1) != 0, (flags & 2) != 0, retainHandling, b.readInt());
    }

    static int pubrel(byte[] key) {
        return rest(key).readUnsignedShort();
    }

    // ---- pieces ----

    private static void layout(ByteBuf b, String what) {
        int v = b.readByte();
        if (v != LAYOUT) {
            throw new IllegalStateException(what + " record of layout " + v + "; this version reads layout " + LAYOUT);
        }
    }

    private static void string(ByteBuf b, String s) {
        bytes(b, utf8(s));
    }

    private static String string(ByteBuf b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }

    private static void nullableString(ByteBuf b, String s) {
        b.writeBoolean(s != null);
        if (s != null) {
            string(b, s);
        }
    }

    private static String nullableString(ByteBuf b) {
        return b.readBoolean() ? string(b) : null;
    }

    private static void bytes(ByteBuf b, byte[] bytes) {
        b.writeInt(bytes.length).writeBytes(bytes);
    }

    private static byte[] bytes(ByteBuf b) {
        int n = b.readInt();
        if (n < 0 || n > b.readableBytes()) {
            throw new IllegalStateException("length " + n + " beyond the record's " + b.readableBytes() + " bytes");
        }
        byte[] out = new byte[n];
        b.readBytes(out);
        return out;
    }

    private static void properties(ByteBuf b, Properties p, PropertyScope scope) {
        int size = PropertiesCodec.contentSize(p, scope);
        PropertiesCodec.encode(b, p, size);
    }

    /**
     * A growable heap buffer for encoding one record. Not {@code Unpooled.buffer}: that allocator
     * counts every allocation in a LongAdder shared with the event loops, which showed in the
     * storage thread's profile.
     */
    private static ByteBuf scratch(int initialCapacity) {
        return new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, initialCapacity, Integer.MAX_VALUE);
    }

    private static byte[] array(ByteBuf b) {
        return Arrays.copyOf(b.array(), b.writerIndex());
    }
}
