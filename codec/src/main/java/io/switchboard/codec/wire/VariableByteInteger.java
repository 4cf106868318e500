package io.switchboard.codec.wire;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;

/** Variable Byte Integer (section 1.5.5): 1 to 4 bytes, 7 bits each, least significant first. */
public final class VariableByteInteger {
    /** The largest value four bytes can carry: 268,435,455. */
    public static final int MAX_VALUE = 268_435_455;

    /** Returned by {@link #tryRead} when the buffer does not yet hold the whole integer. */
    public static final int INCOMPLETE = -1;

    private VariableByteInteger() {
    }

    /**
     * Reads an integer that must be wholly in the buffer.
     *
     * @throws MqttDecodeException (Malformed Packet) when it is truncated, longer than four bytes
     *     or not in its shortest form
     */
    public static int read(ByteBuf buf, String what) {
        int value = tryRead(buf, what);
        if (value == INCOMPLETE) {
            throw MqttDecodeException.malformed(what + ": variable byte integer is truncated");
        }
        return value;
    }

    /**
     * Reads an integer if the buffer holds all of it; otherwise leaves the reader index where it
     * was and returns {@link #INCOMPLETE}.
     */
    public static int tryRead(ByteBuf buf, String what) {
        int start = buf.readerIndex();
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (!buf.isReadable()) {
                buf.readerIndex(start);
                return INCOMPLETE;
            }
            int b = buf.readUnsignedByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                // [MQTT-1.5.5-1] the encoded value MUST use the minimum number of bytes.
                if (i > 0 && b == 0) {
                    throw MqttDecodeException.malformed(
                            what + ": variable byte integer is not in its shortest form");
                }
                return value;
            }
        }
        throw MqttDecodeException.malformed(what + ": variable byte integer is longer than 4 bytes");
    }

    public static int size(int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        if (value < 2_097_152) {
            return 3;
        }
        return 4;
    }

    public static void write(ByteBuf buf, int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
        do {
            int b = value & 0x7F;
            value >>>= 7;
            if (value > 0) {
                b |= 0x80;
            }
            buf.writeByte(b);
        } while (value > 0);
    }
}
