package io.switchboard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.codec.packet.MqttPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared test helpers: byte arrays written as int literals, decoding through {@link MqttFrameDecoder}
 * in an {@link EmbeddedChannel}, encoding through {@link MqttCodec}.
 */
final class Wire {
    /** A Maximum Packet Size larger than any packet MQTT can express. */
    static final int NO_LIMIT = Integer.MAX_VALUE;

    private Wire() {
    }

    /** Bytes from int literals (0..255 or chars). */
    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 0xFF) {
                throw new IllegalArgumentException("not a byte: " + values[i] + " at " + i);
            }
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A Variable Byte Integer, written independently of the code under test. */
    static byte[] vbi(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = value % 128;
            value /= 128;
            out.write(value > 0 ? b | 0x80 : b);
        } while (value > 0);
        return out.toByteArray();
    }

    /** A whole packet: first byte, remaining length, then the body. */
    static byte[] packet(int firstByte, byte[] body) {
        return concat(new byte[] {(byte) firstByte}, vbi(body.length), body);
    }

    static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    /** A decoder channel; {@code version} null means a server waiting for CONNECT. */
    static EmbeddedChannel channel(int maxPacketSize, MqttVersion version) {
        return new EmbeddedChannel(new MqttFrameDecoder(maxPacketSize, version));
    }

    static EmbeddedChannel channel(MqttVersion version) {
        return channel(NO_LIMIT, version);
    }

    /** Feeds bytes; returns every packet the decoder produced. Throws what the pipeline threw. */
    static List<MqttPacket> feed(EmbeddedChannel ch, byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        return drain(ch);
    }

    static List<MqttPacket> drain(EmbeddedChannel ch) {
        List<MqttPacket> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((MqttPacket) o);
        }
        return out;
    }

    static List<MqttPacket> decodeAll(MqttVersion version, byte[] bytes) {
        EmbeddedChannel ch = channel(version);
        try {
            return feed(ch, bytes);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Decodes bytes that must hold exactly one packet. */
    static MqttPacket decode(MqttVersion version, byte[] bytes) {
        List<MqttPacket> packets = decodeAll(version, bytes);
        assertThat(packets).as("packets decoded from %s", hex(bytes)).hasSize(1);
        return packets.get(0);
    }

    static MqttPacket decode(MqttVersion version, int... bytes) {
        return decode(version, bytes(bytes));
    }

    /** Feeds bytes and returns the {@link MqttDecodeException} the decoder must throw. */
    static MqttDecodeException decodeError(EmbeddedChannel ch, byte[] bytes) {
        try {
            List<MqttPacket> packets = feed(ch, bytes);
            return fail("expected a decode error for %s, got %s", hex(bytes), packets);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MqttDecodeException mde) {
                    return mde;
                }
            }
            throw e;
        }
    }

    static MqttDecodeException decodeError(MqttVersion version, byte[] bytes) {
        EmbeddedChannel ch = channel(version);
        try {
            return decodeError(ch, bytes);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    static MqttDecodeException decodeError(MqttVersion version, int... bytes) {
        return decodeError(version, bytes(bytes));
    }

    /** Encodes a packet and returns its bytes, releasing the buffer. */
    static byte[] encode(MqttPacket packet, MqttVersion version) {
        ByteBuf buf = MqttCodec.encode(packet, version, ByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** The bytes decode to the packet, and the packet encodes to exactly the bytes. */
    static void assertWire(MqttVersion version, MqttPacket packet, int... expected) {
        byte[] wire = bytes(expected);
        assertThat(decode(version, wire)).as("decoded from %s", hex(wire)).isEqualTo(packet);
        assertThat(hex(encode(packet, version))).as("encoded %s", packet).isEqualTo(hex(wire));
    }

    /** Asserts the reason code and that the message mentions every fragment (case-insensitive). */
    static void assertRejected(MqttDecodeException e, ReasonCode rc, String... fragments) {
        assertThat(e.reasonCode()).as("reason code of '%s'", e.getMessage()).isEqualTo(rc);
        for (String f : fragments) {
            assertThat(e.getMessage()).containsIgnoringCase(f);
        }
    }
}
