package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.channel;
import static io.switchboard.codec.Wire.concat;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.encode;
import static io.switchboard.codec.Wire.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MqttFrameDecoder}: the fixed header, the size limit, framing, and failing for good. */
class FrameDecoderTest {
    private static final MqttVersion SERVER = null;

    static final ConnectPacket CONNECT = new ConnectPacket(MqttVersion.V5, true, 30, "client",
            new Will("w", Payload.utf8("gone"), 1, false, Properties.builder().willDelayInterval(3L).build()),
            "user", new byte[] {1, 2}, Properties.builder().receiveMaximum(5).userProperty("a", "b").build());
    static final PublishPacket PUBLISH_200 = new PublishPacket("t/x", 1, false, false, 9,
            Properties.builder().contentType("c").build(), Payload.wrap(new byte[200]));

    private static void withChannel(int max, MqttVersion v, java.util.function.Consumer<EmbeddedChannel> body) {
        EmbeddedChannel ch = channel(max, v);
        try {
            body.accept(ch);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    // ---- remaining length -----------------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-1.5.5-1] a remaining length of 5 bytes is malformed, refused once 4 bytes are seen")
    void fiveByteRemainingLengthIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
                ReasonCode.MALFORMED_PACKET, "remaining length", "longer than 4 bytes");
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0xFF, 0xFF, 0xFF, 0xFF),
                ReasonCode.MALFORMED_PACKET, "remaining length", "longer than 4 bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonMinimal")
    @DisplayName("[MQTT-1.5.5-1] a remaining length not in its shortest form is malformed")
    void nonMinimalRemainingLengthIsMalformed(String what, byte[] wire) {
        assertRejected(decodeError(MqttVersion.V3_1_1, wire), ReasonCode.MALFORMED_PACKET,
                "remaining length", "shortest form");
    }

    static Stream<Arguments> nonMinimal() {
        return Stream.of(Arguments.of("PINGREQ 80 00", bytes(0xC0, 0x80, 0x00)),
                Arguments.of("PUBLISH 85 00 (5 in 2 bytes)", bytes(0x30, 0x85, 0x00, 0x00, 0x01, 't', 'a', 'b')),
                Arguments.of("PINGREQ 80 80 80 00", bytes(0xC0, 0x80, 0x80, 0x80, 0x00)));
    }

    // ---- the size limit -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedHeaders")
    @DisplayName("a declared size above the limit is refused from the fixed header, before the body")
    void oversizedPacketIsRefusedFromItsFixedHeaderAlone(String what, byte[] header, long total) {
        withChannel(100, MqttVersion.V5, ch -> {
            MqttDecodeException e = decodeError(ch, header);
            assertRejected(e, ReasonCode.PACKET_TOO_LARGE, "packet of " + total + " bytes",
                    "Maximum Packet Size of 100 bytes");
            assertThat(e.version()).isEqualTo(MqttVersion.V5);
        });
    }

    static Stream<Arguments> oversizedHeaders() {
        return Stream.of(
                Arguments.of("2 bytes: remaining 127", bytes(0x30, 0x7F), 129L),
                Arguments.of("3 bytes: remaining 1000", bytes(0x30, 0xE8, 0x07), 1003L),
                Arguments.of("4 bytes: remaining 16384", bytes(0x30, 0x80, 0x80, 0x01), 16_388L),
                Arguments.of("5 bytes: remaining 268435455", bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F), 268_435_460L));
    }

    @Test
    void packetOfExactlyTheLimitIsAcceptedAndOneByteMoreIsRefused() {
        byte[] ten = bytes(0x30, 0x08, 0x00, 0x01, 't', 0x00, 'a', 'b', 'c', 'd');  // 10 bytes in all
        withChannel(10, MqttVersion.V5, ch -> assertThat(feed(ch, ten)).hasSize(1));
        withChannel(9, MqttVersion.V5, ch -> assertRejected(decodeError(ch, ten), ReasonCode.PACKET_TOO_LARGE,
                "packet of 10 bytes"));
    }

    // ---- fixed header ---------------------------------------------------------------------------

    static Stream<Arguments> wrongFlags() {
        List<Arguments> out = new ArrayList<>();
        for (PacketType t : PacketType.values()) {
            if (t == PacketType.PUBLISH) {
                continue;
            }
            int required = (t == PacketType.PUBREL || t == PacketType.SUBSCRIBE || t == PacketType.UNSUBSCRIBE) ? 2 : 0;
            for (int flags = 0; flags < 16; flags++) {
                if (flags != required) {
                    out.add(Arguments.of(t, flags));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} flags {1}")
    @MethodSource("wrongFlags")
    @DisplayName("[MQTT-2.1.3-1] reserved fixed header flags: 0x2 for PUBREL/SUBSCRIBE/UNSUBSCRIBE, else 0")
    void reservedFixedHeaderFlagsAreMalformed(PacketType type, int flags) {
        MqttDecodeException e = decodeError(MqttVersion.V5, type.code() << 4 | flags, 0x00);
        assertRejected(e, ReasonCode.MALFORMED_PACKET, type.name(), String.format("flags are 0x%X", flags));
    }

    @Test
    @DisplayName("packet type 0 is reserved (2.1.2)")
    void packetType0IsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x00, 0x00), ReasonCode.MALFORMED_PACKET, "packet type 0");
        assertRejected(decodeError(SERVER, 0x00, 0x00), ReasonCode.MALFORMED_PACKET, "packet type 0");
    }

    @Test
    void errorCarriesTheVersionTheDecoderWasGiven() {
        assertThat(decodeError(MqttVersion.V3_1_1, 0x40, 0x02, 0x00, 0x00).version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(decodeError(MqttVersion.V5, 0x40, 0x02, 0x00, 0x00).version()).isEqualTo(MqttVersion.V5);
    }

    // ---- failing for good ------------------------------------------------------------------------

    @Test
    void afterTheFirstErrorFurtherInputIsDiscarded() {
        withChannel(Wire.NO_LIMIT, MqttVersion.V5, ch -> {
            decodeError(ch, bytes(0x00, 0x00));
            assertThat(feed(ch, bytes(0xC0, 0x00))).as("a valid PINGREQ after the error").isEmpty();
            assertThat(feed(ch, encode(PUBLISH_200, MqttVersion.V5))).isEmpty();
        });
    }

    @Test
    void validPacketInTheSameBufferAfterAnErrorIsDiscarded() {
        withChannel(Wire.NO_LIMIT, MqttVersion.V5, ch -> {
            // PUBACK with packet id 0, then a PINGREQ, in one read.
            decodeError(ch, bytes(0x40, 0x02, 0x00, 0x00, 0xC0, 0x00));
            assertThat(Wire.drain(ch)).isEmpty();
            assertThat(feed(ch, bytes(0xC0, 0x00))).isEmpty();
        });
    }

    @Test
    void packetsBeforeTheErrorInTheSameBufferAreDelivered() {
        withChannel(Wire.NO_LIMIT, MqttVersion.V5, ch -> {
            decodeError(ch, bytes(0xC0, 0x00, 0x00, 0x00));
            assertThat(Wire.drain(ch)).containsExactly(PingreqPacket.INSTANCE);
        });
    }

    // ---- framing ----------------------------------------------------------------------------------

    static Stream<Arguments> framed() {
        return Stream.of(Arguments.of("CONNECT 5.0 with will", SERVER, CONNECT),
                Arguments.of("PUBLISH, 2-byte remaining length", MqttVersion.V5, PUBLISH_200),
                Arguments.of("PINGREQ", MqttVersion.V3_1_1, PingreqPacket.INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framed")
    void packetSplitInTwoAtEveryByteBoundaryDecodesOnce(String what, MqttVersion v, MqttPacket packet) {
        byte[] wire = encode(packet, v == null ? MqttVersion.V5 : v);
        for (int cut = 1; cut < wire.length; cut++) {
            int at = cut;
            withChannel(Wire.NO_LIMIT, v, ch -> {
                assertThat(feed(ch, Arrays.copyOfRange(wire, 0, at))).as("first %d bytes", at).isEmpty();
                assertThat(feed(ch, Arrays.copyOfRange(wire, at, wire.length))).as("cut at %d", at)
                        .containsExactly(packet);
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framed")
    void packetFedOneByteAtATimeDecodesOnceAtTheLastByte(String what, MqttVersion v, MqttPacket packet) {
        byte[] wire = encode(packet, v == null ? MqttVersion.V5 : v);
        withChannel(Wire.NO_LIMIT, v, ch -> {
            for (int i = 0; i < wire.length - 1; i++) {
                assertThat(feed(ch, new byte[] {wire[i]})).as("after byte %d", i).isEmpty();
            }
            assertThat(feed(ch, new byte[] {wire[wire.length - 1]})).containsExactly(packet);
        });
    }

    @Test
    void severalPacketsInOneBufferAllDecodeInOrder() {
        SubscribePacket subscribe = new SubscribePacket(3, List.of(new TopicSubscription("a/#", 2, true, false, 1)),
                Properties.EMPTY);
        DisconnectPacket disconnect = new DisconnectPacket(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY);
        MqttPacket[] packets = {CONNECT, PUBLISH_200, subscribe, PingreqPacket.INSTANCE, disconnect};
        byte[] all = new byte[0];
        for (MqttPacket p : packets) {
            all = concat(all, encode(p, MqttVersion.V5));
        }
        byte[] wire = all;
        withChannel(Wire.NO_LIMIT, SERVER, ch -> {
            assertThat(feed(ch, wire)).containsExactly(packets);
            assertThat(((MqttFrameDecoder) ch.pipeline().first()).version()).isEqualTo(MqttVersion.V5);
        });
    }

    @Test
    void aTrailingPartialPacketWaitsForItsRest() {
        byte[] ping = bytes(0xC0, 0x00);
        byte[] publish = encode(PUBLISH_200, MqttVersion.V5);
        withChannel(Wire.NO_LIMIT, MqttVersion.V5, ch -> {
            assertThat(feed(ch, concat(ping, Arrays.copyOf(publish, 3)))).containsExactly(PingreqPacket.INSTANCE);
            assertThat(feed(ch, concat(Arrays.copyOfRange(publish, 3, publish.length), ping)))
                    .containsExactly(PUBLISH_200, PingreqPacket.INSTANCE);
        });
    }
}
