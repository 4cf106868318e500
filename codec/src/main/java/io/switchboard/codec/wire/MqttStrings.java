package io.switchboard.codec.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.codec.MqttDecodeException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 Encoded Strings (section 1.5.4) and Binary Data (1.5.6): a two-byte length, then the bytes.
 * Strings must be well-formed UTF-8 with no encoded surrogates and no U+0000.
 */
public final class MqttStrings {
    public static final int MAX_LENGTH = 65_535;

    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private MqttStrings() {
    }

    /** Reads a UTF-8 Encoded String. */
    public static String readString(ByteBuf buf, String what) {
        int length = readLength(buf, what);
        String s = decodeUtf8(buf, buf.readerIndex(), length, what);
        buf.skipBytes(length);
        return s;
    }

    /** Reads Binary Data. */
    public static byte[] readBinary(ByteBuf buf, String what) {
        int length = readLength(buf, what);
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return bytes;
    }

    /** Reads a two-byte integer, failing cleanly when it is truncated. */
    public static int readUnsignedShort(ByteBuf buf, String what) {
        if (buf.readableBytes() < 2) {
            throw MqttDecodeException.malformed(what + " is truncated");
        }
        return buf.readUnsignedShort();
    }

    private static int readLength(ByteBuf buf, String what) {
        if (buf.readableBytes() < 2) {
            throw MqttDecodeException.malformed(what + " length is truncated"); // built only on failure
        }
        int length = buf.readUnsignedShort();
        if (buf.readableBytes() < length) {
            throw MqttDecodeException.malformed(what + " declares " + length + " bytes but only "
                    + buf.readableBytes() + " remain in the packet");
        }
        return length;
    }

    /**
     * Decodes UTF-8, refusing what [MQTT-1.5.4-1] and [MQTT-1.5.4-2] forbid: ill-formed sequences,
     * encoded surrogates (U+D800..U+DFFF) and U+0000.
     */
    public static String decodeUtf8(ByteBuf buf, int index, int length, String what) {
        boolean ascii = true;
        for (int i = index, end = index + length; i < end; i++) {
            byte b = buf.getByte(i);
            if (b == 0) {
                // [MQTT-1.5.4-2] a UTF-8 Encoded String MUST NOT include U+0000.
                throw MqttDecodeException.malformed(what + " contains U+0000, which MQTT forbids in strings");
            }
            if (b < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            return buf.toString(index, length, StandardCharsets.US_ASCII);
        }
        ByteBuffer nio = buf.nioBufferCount() == 1 ? buf.nioBuffer(index, length)
                : ByteBuffer.wrap(ByteBufUtil.getBytes(buf, index, length));
        try {
            CharBuffer chars = STRICT_UTF8.get().reset().decode(nio);
            return chars.toString();
        } catch (CharacterCodingException e) {
            // [MQTT-1.5.4-1] ill-formed UTF-8 (including encoded surrogates) is a Malformed Packet.
            throw MqttDecodeException.malformed(what + " is not well-formed UTF-8");
        }
    }

    /** Checks a payload that claims to be UTF-8 (Payload Format Indicator 1). */
    public static boolean isWellFormedUtf8(byte[] bytes) {
        try {
            STRICT_UTF8.get().reset().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The encoded size of a string, length prefix included. */
    public static int stringSize(String s) {
        return 2 + ByteBufUtil.utf8Bytes(s);
    }

    public static void writeString(ByteBuf buf, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("string longer than 65535 bytes");
        }
        buf.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(buf, s, length);
    }

    public static void writeBinary(ByteBuf buf, byte[] bytes) {
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("binary data longer than 65535 bytes");
        }
        buf.writeShort(bytes.length);
        buf.writeBytes(bytes);
    }
}
