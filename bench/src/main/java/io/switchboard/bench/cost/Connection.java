package io.switchboard.bench.cost;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.MqttPacket;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One MQTT 5 client connection of the load, nothing automatic (no keep alive, no acknowledgements):
 * a TCP channel, blocking for the handshake ({@link #writeBlocking}, {@link #readBlocking}, bounded
 * by a read timeout), then non-blocking on the load's selector. Whole packets are taken from what
 * has arrived without decoding them ({@link #next}); what the socket does not take at once is kept
 * and written when it can ({@link #write}, {@link #flush}). Used by one thread.
 */
final class Connection implements AutoCloseable {
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    final String name;
    private final SocketChannel channel;
    private byte[] buf = new byte[64 * 1024];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    /** The first byte not yet taken, and the end of what has arrived. */
    private int start;
    private int end;
    private ByteBuffer pending;
    private SelectionKey key;
    private int type;
    private int flags;
    private int bodyOffset;
    private int bodyLength;

    private Connection(String name, SocketChannel channel) {
        this.name = name;
        this.channel = channel;
    }

    /** A TCP connection to {@code broker}, TCP_NODELAY, blocking until {@link #register}. */
    static Connection open(String name, InetSocketAddress broker) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(broker, HANDSHAKE_TIMEOUT_MILLIS);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            return new Connection(name, ch);
        } catch (IOException e) {
            ch.close();
            throw new IOException(name + ": cannot connect to " + broker + ": " + e.getMessage(), e);
        }
    }

    /** A packet encoded once, for writing. */
    static byte[] encode(MqttPacket packet) {
        ByteBuf b = MqttCodec.encode(packet, MqttVersion.V5, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return bytes;
        } finally {
            b.release();
        }
    }

    /** Before {@link #register}: writes all of {@code bytes}. */
    void writeBlocking(byte[] bytes) throws IOException {
        channel.socket().getOutputStream().write(bytes);
    }

    /**
     * Before {@link #register}: the next packet, decoded; fails on end of stream or after
     * {@value #HANDSHAKE_TIMEOUT_MILLIS} ms without it.
     */
    MqttPacket readBlocking() throws IOException {
        InputStream in = channel.socket().getInputStream();
        try {
            while (!next()) {
                room();
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    throw new EOFException(name + ": the broker closed the connection");
                }
                end += n;
            }
        } catch (SocketTimeoutException e) {
            throw new IOException(name + ": no answer from the broker within " + HANDSHAKE_TIMEOUT_MILLIS / 1000 + " s", e);
        }
        PacketType t = PacketType.of(type);
        if (t == null) {
            throw new IOException(name + ": packet type 0 from the broker");
        }
        return MqttCodec.decode(t, flags, Unpooled.wrappedBuffer(buf, bodyOffset, bodyLength), MqttVersion.V5);
    }

    /** Non-blocking from now on, reported ready to read by {@code selector}, with {@code attachment}. */
    void register(Selector selector, Object attachment) throws IOException {
        channel.configureBlocking(false);
        key = channel.register(selector, SelectionKey.OP_READ, attachment);
    }

    /** Reads what the socket has; false at end of stream. */
    boolean fill() throws IOException {
        room();
        view.limit(buf.length).position(end);
        int n = channel.read(view);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Takes the next whole packet that has arrived, if there is one. */
    boolean next() {
        if (end - start < 2) {
            return false;
        }
        int remaining = 0;
        int i = start + 1;
        for (int shift = 0; ; shift += 7) {
            if (i >= end) {
                return false;
            }
            int b = buf[i++] & 0xFF;
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            if (shift == 21) {
                throw new IllegalStateException(name + ": malformed remaining length from the broker");
            }
        }
        if (end - i < remaining) {
            return false;
        }
        type = (buf[start] & 0xFF) >> 4;
        flags = buf[start] & 0x0F;
        bodyOffset = i;
        bodyLength = remaining;
        start = i + remaining;
        return true;
    }

    int type() {
        return type;
    }

    int flags() {
        return flags;
    }

    int bodyLength() {
        return bodyLength;
    }

    /** The byte at {@code offset} of the current packet's body. */
    int u8(int offset) {
        return buf[bodyOffset + offset] & 0xFF;
    }

    /** The two bytes at {@code offset} of the body, big-endian (a packet identifier, a string length). */
    int u16(int offset) {
        return (buf[bodyOffset + offset] & 0xFF) << 8 | buf[bodyOffset + offset + 1] & 0xFF;
    }

    /** Whether the body holds {@code bytes} at {@code offset}. */
    boolean bodyHas(int offset, byte[] bytes) {
        int from = bodyOffset + offset;
        return offset + bytes.length <= bodyLength && Arrays.equals(buf, from, from + bytes.length, bytes, 0, bytes.length);
    }

    /**
     * Writes {@code length} bytes of {@code bytes} from {@code offset}; what the socket does not take
     * now is copied and written when the selector says it can be ({@link #flush}). Not while
     * {@link #blocked}.
     */
    void write(byte[] bytes, int offset, int length) throws IOException {
        if (pending != null) {
            throw new IllegalStateException(name + ": a write while an earlier one is still pending");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
        channel.write(b);
        if (b.hasRemaining()) {
            pending = ByteBuffer.allocate(b.remaining()).put(b).flip();
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** Writes what is pending; true once nothing is. */
    boolean flush() throws IOException {
        if (pending != null) {
            channel.write(pending);
            if (pending.hasRemaining()) {
                return false;
            }
            pending = null;
            key.interestOps(SelectionKey.OP_READ);
        }
        return true;
    }

    /** Whether bytes are waiting for the socket to take them. */
    boolean blocked() {
        return pending != null;
    }

    /** Moves what is left to the front, and grows the buffer when it is full of one packet. */
    private void room() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
            view = ByteBuffer.wrap(buf);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
