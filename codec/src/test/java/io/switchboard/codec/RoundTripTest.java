package io.switchboard.codec;

import static io.switchboard.codec.Wire.decode;
import static io.switchboard.codec.Wire.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Encode then decode gives an equal record, for every packet type and version. */
class RoundTripTest {
    private static final Properties NONE = Properties.EMPTY;

    /** Packets expressible in 3.1.1 (no properties, no 5.0-only codes or options). */
    static List<MqttPacket> v311() {
        return List.of(
                new ConnectPacket(MqttVersion.V3_1_1, true, 60, "c", null, null, null, NONE),
                new ConnectPacket(MqttVersion.V3_1_1, false, 65_535, "client-x",
                        new Will("will/t", Payload.utf8("x"), 2, true, NONE), "u", new byte[] {0, 1}, NONE),
                new ConnackPacket(true, ReasonCode.SUCCESS, NONE),
                new ConnackPacket(false, ReasonCode.BAD_USER_NAME_OR_PASSWORD, NONE),
                new PublishPacket("a/b", 0, false, false, 0, NONE, Payload.utf8("hello")),
                new PublishPacket("a/b", 1, true, true, 1, NONE, Payload.EMPTY),
                new PublishPacket("a/b", 2, false, false, 65_535, NONE, Payload.utf8("q2")),
                new PubackPacket(1), new PubrecPacket(2), new PubrelPacket(3), new PubcompPacket(4),
                new SubscribePacket(5, List.of(new TopicSubscription("a/+", 0), new TopicSubscription("#", 2)), NONE),
                new SubackPacket(5, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_2,
                        ReasonCode.UNSPECIFIED_ERROR), NONE),
                new UnsubscribePacket(6, List.of("a/+", "#"), NONE),
                new UnsubackPacket(6, List.of(), NONE),
                PingreqPacket.INSTANCE, PingrespPacket.INSTANCE, DisconnectPacket.NORMAL);
    }

    static List<MqttPacket> v5() {
        Properties rs = Properties.builder().reasonString("why").userProperty("k", "v").build();
        return List.of(
                new ConnectPacket(MqttVersion.V5, true, 0, "", null, null, null, NONE),
                new ConnectPacket(MqttVersion.V5, false, 10, "c5",
                        new Will("w", Payload.utf8("bye"), 1, false, Properties.builder().willDelayInterval(9L)
                                .payloadFormatIndicator(1).correlationData(new byte[] {7}).build()),
                        null, new byte[] {9}, Properties.builder().sessionExpiryInterval(0xFFFF_FFFFL)
                                .authenticationMethod("m").authenticationData(new byte[] {1}).requestProblemInformation(0)
                                .requestResponseInformation(1).topicAliasMaximum(0).maximumPacketSize(1L).build()),
                new ConnackPacket(false, ReasonCode.SUCCESS, NONE),
                new ConnackPacket(true, ReasonCode.SUCCESS, Properties.builder().responseInformation("ri")
                        .serverReference("s").maximumQos(0).build()),
                new ConnackPacket(false, ReasonCode.USE_ANOTHER_SERVER, rs),
                new PublishPacket("a/b", 0, true, false, 0, NONE, Payload.utf8("x")),
                new PublishPacket("a/b", 1, false, true, 7, Properties.builder().subscriptionIdentifier(1)
                        .subscriptionIdentifier(268_435_455).messageExpiryInterval(0L).build(), Payload.EMPTY),
                new PublishPacket("", 2, false, false, 8, Properties.builder().topicAlias(65_535).build(),
                        Payload.utf8("aliased")),
                new PubackPacket(1), new PubackPacket(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, NONE),
                new PubackPacket(1, ReasonCode.NOT_AUTHORIZED, rs),
                new PubrecPacket(2), new PubrecPacket(2, ReasonCode.PAYLOAD_FORMAT_INVALID, rs),
                new PubrelPacket(3), new PubrelPacket(3, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, NONE),
                new PubcompPacket(4), new PubcompPacket(4, ReasonCode.SUCCESS, rs),
                new SubscribePacket(5, List.of(new TopicSubscription("a/+", 1, true, true, 2),
                        new TopicSubscription("$share/g/x", 0, false, false, 1)),
                        Properties.builder().subscriptionIdentifier(42).build()),
                new SubackPacket(5, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED), rs),
                new UnsubscribePacket(6, List.of("a/+"), Properties.builder().userProperty("x", "y").build()),
                new UnsubackPacket(6, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), rs),
                PingreqPacket.INSTANCE, PingrespPacket.INSTANCE,
                DisconnectPacket.NORMAL, new DisconnectPacket(ReasonCode.KEEP_ALIVE_TIMEOUT, NONE),
                new DisconnectPacket(ReasonCode.SERVER_MOVED, Properties.builder().serverReference("b:1883")
                        .sessionExpiryInterval(5L).build()),
                new AuthPacket(ReasonCode.SUCCESS, NONE),
                new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, Properties.builder().authenticationMethod("SCRAM")
                        .authenticationData(new byte[] {1, 2, 3}).build()),
                new AuthPacket(ReasonCode.RE_AUTHENTICATE, NONE));
    }

    static Stream<Arguments> packets() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(MqttVersion.V3_1, new ConnectPacket(MqttVersion.V3_1, true, 20, "old",
                new Will("w", Payload.utf8("x"), 1, false, NONE), "u", new byte[] {1}, NONE)));
        v311().forEach(p -> out.add(Arguments.of(MqttVersion.V3_1_1, p)));
        v5().forEach(p -> out.add(Arguments.of(MqttVersion.V5, p)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("packets")
    void encodeThenDecodeGivesAnEqualRecord(MqttVersion v, MqttPacket packet) {
        // CONNECT is decoded by a server decoder that learns the version from it.
        MqttVersion decoderVersion = packet instanceof ConnectPacket ? null : v;
        assertThat(decode(decoderVersion, encode(packet, v))).isEqualTo(packet);
    }

    @Test
    void roundTripsCoverEveryPacketTypeInBothVersions() {
        Set<PacketType> in311 = EnumSet.noneOf(PacketType.class);
        v311().forEach(p -> in311.add(p.type()));
        Set<PacketType> in5 = EnumSet.noneOf(PacketType.class);
        v5().forEach(p -> in5.add(p.type()));
        assertThat(in311).isEqualTo(EnumSet.complementOf(EnumSet.of(PacketType.AUTH)));
        assertThat(in5).isEqualTo(EnumSet.allOf(PacketType.class));
    }

    /** Payload sizes around the composite threshold and each remaining-length width. */
    static Stream<Arguments> largePublishes() {
        return Stream.of(
                Arguments.of(100, 1), Arguments.of(200, 2), Arguments.of(1023, 2), Arguments.of(1024, 2),
                Arguments.of(16_000, 2), Arguments.of(20_000, 3), Arguments.of(2_097_000, 3),
                Arguments.of(2_100_000, 4));
    }

    @ParameterizedTest(name = "{0} byte payload, {1}-byte remaining length")
    @MethodSource("largePublishes")
    void largePublishRoundTripsInBothVersions(int size, int remainingLengthBytes) {
        byte[] payload = new byte[size];
        new java.util.Random(size).nextBytes(payload);
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            PublishPacket p = new PublishPacket("big/t", 1, false, false, 77,
                    v.isV5() ? Properties.builder().userProperty("n", "1").build() : NONE, Payload.wrap(payload));
            ByteBuf buf = MqttCodec.encode(p, v, ByteBufAllocator.DEFAULT);
            try {
                assertThat(buf instanceof CompositeByteBuf).as("composite for %d bytes", size).isEqualTo(size >= 1024);
                int lengthBytes = 0;
                while ((buf.getByte(1 + lengthBytes) & 0x80) != 0) {
                    lengthBytes++;
                }
                assertThat(lengthBytes + 1).as("remaining length bytes").isEqualTo(remainingLengthBytes);
            } finally {
                buf.release();
            }
            assertThat(decode(v, encode(p, v))).as("%s", v).isEqualTo(p);
        }
    }
}
