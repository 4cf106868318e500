package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.assertWire;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.decode;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.property.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (sections 3.4-3.7): the 3.1.1 two-byte form and the three
 * 5.0 forms (remaining length 2, 3, and with properties).
 */
class AckCodecTest {

    /** One of the four acknowledgements: its first byte, a non-Success code it may carry, its record. */
    record Ack(String name, int firstByte, ReasonCode failure, ReasonCode foreign, Factory factory) {
        MqttPacket of(int packetId, ReasonCode rc, Properties props) {
            return factory.make(packetId, rc, props);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    interface Factory {
        MqttPacket make(int packetId, ReasonCode rc, Properties props);
    }

    static Stream<Ack> acks() {
        return Stream.of(
                // foreign: a reason code value valid elsewhere but not in this packet
                new Ack("PUBACK", 0x40, ReasonCode.NO_MATCHING_SUBSCRIBERS, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                        PubackPacket::new),
                new Ack("PUBREC", 0x50, ReasonCode.QUOTA_EXCEEDED, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                        PubrecPacket::new),
                new Ack("PUBREL", 0x62, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                        PubrelPacket::new),
                new Ack("PUBCOMP", 0x70, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, ReasonCode.UNSPECIFIED_ERROR,
                        PubcompPacket::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ack311TwoByteForm(Ack ack) {
        assertWire(MqttVersion.V3_1_1, ack.of(5, ReasonCode.SUCCESS, Properties.EMPTY),
                ack.firstByte(),                        // packet type (PUBREL carries flags 0x2)
                0x02,                                   // remaining length 2
                0x00, 0x05);                            // packet id 5
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    @DisplayName("5.0 short form: remaining length 2 means Success, no properties")
    void ack50ShortForm(Ack ack) {
        assertWire(MqttVersion.V5, ack.of(0xBEEF, ReasonCode.SUCCESS, Properties.EMPTY),
                ack.firstByte(),                        // packet type
                0x02,                                   // remaining length 2
                0xBE, 0xEF);                            // packet id 0xBEEF
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    @DisplayName("5.0 reason code only: remaining length 3, no property length")
    void ack50ReasonCodeOnlyForm(Ack ack) {
        assertWire(MqttVersion.V5, ack.of(5, ack.failure(), Properties.EMPTY),
                ack.firstByte(),                        // packet type
                0x03,                                   // remaining length 3
                0x00, 0x05,                             // packet id 5
                ack.failure().value());                 // reason code
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ack50FullFormWithProperties(Ack ack) {
        Properties props = Properties.builder().reasonString("x").userProperty("k", "v").build();
        assertWire(MqttVersion.V5, ack.of(5, ack.failure(), props),
                ack.firstByte(),                        // packet type
                0x0F,                                   // remaining length 15
                0x00, 0x05,                             // packet id 5
                ack.failure().value(),                  // reason code
                0x0B,                                   // properties length 11
                0x1F, 0x00, 0x01, 'x',                  //   Reason String "x"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); //  User Property k=v
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ack50SuccessWithPropertiesWritesTheSuccessCode(Ack ack) {
        assertWire(MqttVersion.V5, ack.of(1, ReasonCode.SUCCESS, Properties.builder().reasonString("ok").build()),
                ack.firstByte(),                        // packet type
                0x09,                                   // remaining length 9
                0x00, 0x01,                             // packet id 1
                0x00,                                   // reason code Success
                0x05,                                   // properties length 5
                0x1F, 0x00, 0x02, 'o', 'k');            //   Reason String "ok"
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    @DisplayName("5.0: an explicit Success code, or an empty property section, decodes to the same record")
    void ack50LongerEncodingsOfTheSameAckDecodeEqually(Ack ack) {
        assertThat(decode(MqttVersion.V5, ack.firstByte(), 0x03, 0x00, 0x05, 0x00))
                .isEqualTo(ack.of(5, ReasonCode.SUCCESS, Properties.EMPTY));
        assertThat(decode(MqttVersion.V5, ack.firstByte(), 0x04, 0x00, 0x05, ack.failure().value(), 0x00))
                .isEqualTo(ack.of(5, ack.failure(), Properties.EMPTY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ack311EncodingDropsReasonCodeAndProperties(Ack ack) {
        MqttPacket p = ack.of(5, ack.failure(), Properties.builder().reasonString("x").build());
        assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(ack.firstByte(), 0x02, 0x00, 0x05));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    @DisplayName("[MQTT-2.2.1-3] packet identifier 0 is refused")
    void ackPacketId0IsProtocolError(Ack ack) {
        assertRejected(decodeError(MqttVersion.V5, ack.firstByte(), 0x02, 0x00, 0x00),
                ReasonCode.PROTOCOL_ERROR, ack.name(), "packet identifier 0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ackReasonCodeNotValidInThisPacketIsProtocolError(Ack ack) {
        int v = ack.foreign().value();
        assertRejected(decodeError(MqttVersion.V5, ack.firstByte(), 0x03, 0x00, 0x05, v),
                ReasonCode.PROTOCOL_ERROR, String.format("0x%02X", v), ack.name());
    }

    @Test
    @DisplayName("PUBACK reason code 0x05 (no such code) is refused")
    void pubackReasonCode0x05IsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0x40, 0x03, 0x00, 0x05, 0x05),
                ReasonCode.PROTOCOL_ERROR, "0x05", "PUBACK");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ack311WithAReasonCodeByteIsMalformed(Ack ack) {
        assertRejected(decodeError(MqttVersion.V3_1_1, ack.firstByte(), 0x03, 0x00, 0x05, 0x00),
                ReasonCode.MALFORMED_PACKET, ack.name(), "unexpected bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ack50WithBytesAfterItsPropertiesIsMalformed(Ack ack) {
        assertRejected(decodeError(MqttVersion.V5, ack.firstByte(), 0x05, 0x00, 0x05, 0x00, 0x00, 0x99),
                ReasonCode.MALFORMED_PACKET, ack.name(), "unexpected bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acks")
    void ackWithTruncatedPacketIdIsMalformed(Ack ack) {
        assertRejected(decodeError(MqttVersion.V3_1_1, ack.firstByte(), 0x01, 0x00),
                ReasonCode.MALFORMED_PACKET, "packet identifier", "truncated");
    }
}
