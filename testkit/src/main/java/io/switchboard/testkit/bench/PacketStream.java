package io.switchboard.testkit.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * Whole MQTT packets read from a socket through a buffer, without decoding them, for the hot loop
 * of a throughput benchmark: one {@code read} system call brings in as many packets as the broker
 * has sent, and {@link #hasPacket} says whether the next one is already here, so that a client can
 * answer a burst of packets with one write. The current packet's body stays in {@link #buffer()}
 * from {@link #bodyOffset()} for {@link #bodyLength()} bytes until the next {@link #next}.
 */
final class PacketStream {
    private final InputStream in;
    private final OutputStream out;
    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private int type;
    private int flags;
    private int bodyOffset;
    private int bodyLength;

    PacketStream(Socket socket) throws IOException {
        this(socket.getInputStream(), socket.getOutputStream());
    }

    PacketStream(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Reads the next packet, blocking until it is whole; fails on end of stream or the socket's read timeout. */
    void next() throws IOException {
        int length;
        while ((length = wholePacketAt(pos)) < 0) {
            fill();
        }
        int first = buf[pos] & 0xFF;
        type = first >> 4;
        flags = first & 0x0F;
        bodyLength = remainingLength(pos);
        bodyOffset = pos + length - bodyLength;
        pos += length;
    }

    /** Whether a whole packet is already buffered, so that {@link #next} will not block. */
    boolean hasPacket() {
        return wholePacketAt(pos) >= 0;
    }

    int type() {
        return type;
    }

    int flags() {
        return flags;
    }

    byte[] buffer() {
        return buf;
    }

    int bodyOffset() {
        return bodyOffset;
    }

    int bodyLength() {
        return bodyLength;
    }

    /** The two bytes at {@code offset} of the body, big-endian (a packet identifier, a string length). */
    int u16(int offset) {
        return (buf[bodyOffset + offset] & 0xFF) << 8 | buf[bodyOffset + offset + 1] & 0xFF;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    /** The size of the whole packet starting at {@code at}, or -1 when not all of it is buffered. */
    private int wholePacketAt(int at) {
        if (limit - at < 2) {
            return -1;
        }
        int remaining = 0;
        int i = at + 1;
        for (int shift = 0; ; shift += 7) {
            if (i >= limit) {
                return -1;
            }
            int b = buf[i++] & 0xFF;
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            if (shift == 21) {
                throw new IllegalStateException("malformed remaining length from the broker");
            }
        }
        int total = i - at + remaining;
        return limit - at >= total ? total : -1;
    }

    private int remainingLength(int at) {
        int remaining = 0;
        int i = at + 1;
        for (int shift = 0; ; shift += 7) {
            int b = buf[i++] & 0xFF;
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return remaining;
            }
        }
    }

    /** Moves what is left to the front (growing the buffer for a large packet) and reads more. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            throw new EOFException("the broker closed the connection");
        }
        limit += n;
    }
}
