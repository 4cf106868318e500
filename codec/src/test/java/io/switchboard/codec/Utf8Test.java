package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.assertWire;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.concat;
import static io.switchboard.codec.Wire.decode;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.wire.MqttStrings;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** UTF-8 Encoded Strings (section 1.5.4): [MQTT-1.5.4-1], [MQTT-1.5.4-2], [MQTT-1.5.4-3]. */
class Utf8Test {
    private static final MqttVersion SERVER = null;

    /** Ill-formed sequences, each as the two-byte length and the bytes. */
    static Stream<Arguments> illFormed() {
        return Stream.of(
                Arguments.of("lone continuation byte", bytes(0x00, 0x01, 0x80)),
                Arguments.of("C3 28: lead byte without its continuation", bytes(0x00, 0x02, 0xC3, 0x28)),
                Arguments.of("truncated 2-byte sequence at the end", bytes(0x00, 0x01, 0xC3)),
                Arguments.of("overlong NUL C0 80", bytes(0x00, 0x02, 0xC0, 0x80)),
                Arguments.of("overlong '/' E0 80 AF", bytes(0x00, 0x03, 0xE0, 0x80, 0xAF)),
                Arguments.of("encoded surrogate ED A0 80 (U+D800)", bytes(0x00, 0x03, 0xED, 0xA0, 0x80)),
                Arguments.of("encoded surrogate ED BF BF (U+DFFF)", bytes(0x00, 0x03, 0xED, 0xBF, 0xBF)),
                Arguments.of("above U+10FFFF: F4 90 80 80", bytes(0x00, 0x04, 0xF4, 0x90, 0x80, 0x80)),
                Arguments.of("byte FF", bytes(0x00, 0x02, 'a', 0xFF)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormed")
    @DisplayName("[MQTT-1.5.4-1] ill-formed UTF-8 in a topic name is a Malformed Packet")
    void illFormedTopicIsMalformed(String what, byte[] string) {
        assertRejected(decodeError(MqttVersion.V3_1_1, packet(0x30, string)), ReasonCode.MALFORMED_PACKET,
                "PUBLISH topic name", "not well-formed UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormed")
    @DisplayName("[MQTT-1.5.4-1] ill-formed UTF-8 in a client identifier is a Malformed Packet")
    void illFormedClientIdIsMalformed(String what, byte[] string) {
        byte[] connect = packet(0x10, concat(bytes(0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x00), string));
        MqttDecodeException e = decodeError(SERVER, connect);
        assertRejected(e, ReasonCode.MALFORMED_PACKET, "client identifier", "not well-formed UTF-8");
        assertThat(e.version()).isEqualTo(MqttVersion.V3_1_1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormed")
    @DisplayName("[MQTT-1.5.4-1] ill-formed UTF-8 in a User Property name is a Malformed Packet")
    void illFormedUserPropertyNameIsMalformed(String what, byte[] string) {
        byte[] prop = concat(bytes(0x26), string, bytes(0x00, 0x01, 'v'));
        byte[] publish = packet(0x30, concat(bytes(0x00, 0x01, 't'), Wire.vbi(prop.length), prop));
        assertRejected(decodeError(MqttVersion.V5, publish), ReasonCode.MALFORMED_PACKET,
                "User Property in PUBLISH name", "not well-formed UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormed")
    @DisplayName("[MQTT-1.5.4-1] ill-formed UTF-8 in a User Property value is a Malformed Packet")
    void illFormedUserPropertyValueIsMalformed(String what, byte[] string) {
        byte[] prop = concat(bytes(0x26, 0x00, 0x01, 'k'), string);
        byte[] disconnect = packet(0xE0, concat(bytes(0x00), Wire.vbi(prop.length), prop));
        assertRejected(decodeError(MqttVersion.V5, disconnect), ReasonCode.MALFORMED_PACKET,
                "User Property in DISCONNECT value", "not well-formed UTF-8");
    }

    @Test
    void illFormedTopicFilterIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x82, 0x07, 0x00, 0x01, 0x00, 0x02, 0xC3, 0x28, 0x00),
                ReasonCode.MALFORMED_PACKET, "SUBSCRIBE topic filter", "not well-formed UTF-8");
    }

    @Test
    @DisplayName("[MQTT-1.5.4-2] U+0000 in a topic name is refused")
    void nulInTopicIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0x06, 0x00, 0x03, 'a', 0x00, 'b', 0x00),
                ReasonCode.MALFORMED_PACKET, "PUBLISH topic name", "U+0000");
    }

    @Test
    @DisplayName("[MQTT-1.5.4-2] U+0000 in a client identifier is refused")
    void nulInClientIdIsMalformed() {
        assertRejected(decodeError(SERVER, 0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x00,
                0x00, 0x01, 0x00), ReasonCode.MALFORMED_PACKET, "client identifier", "U+0000");
    }

    @Test
    @DisplayName("[MQTT-1.5.4-2] U+0000 in a User Property is refused")
    void nulInUserPropertyIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0x0B, 0x00, 0x01, 't',
                0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 0x00), ReasonCode.MALFORMED_PACKET,
                "User Property", "U+0000");
    }

    @Test
    void nulInAUserNameIsRefusedButAllowedInTheBinaryPassword() {
        assertRejected(decodeError(SERVER, 0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x82, 0x00, 0x00,
                0x00, 0x01, 'c', 0x00, 0x01, 0x00), ReasonCode.MALFORMED_PACKET, "User Name", "U+0000");
        ConnectPacket c = (ConnectPacket) decode(SERVER, 0x10, 0x13, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0xC2,
                0x00, 0x00, 0x00, 0x01, 'c', 0x00, 0x01, 'u', 0x00, 0x01, 0x00);
        assertThat(c.password()).containsExactly(0x00);
    }

    @Test
    void multiByteCharactersDecodeAndEncodeExactly() {
        assertWire(MqttVersion.V3_1_1, new PublishPacket("ü/€/\uD83D\uDE00", 0, false, false, 0, Properties.EMPTY,
                        Payload.EMPTY),
                0x30, 0x0D,                             // PUBLISH, remaining length 13
                0x00, 0x0B,                             // topic length 11 bytes (5 code points)
                0xC3, 0xBC, '/',                        // U+00FC (2 bytes)
                0xE2, 0x82, 0xAC, '/',                  // U+20AC (3 bytes)
                0xF0, 0x9F, 0x98, 0x80);                // U+1F600 (4 bytes, a surrogate pair in Java)
    }

    @Test
    @DisplayName("[MQTT-1.5.4-3] a leading BOM (EF BB BF) is not stripped")
    void byteOrderMarkIsKept() {
        PublishPacket p = (PublishPacket) decode(MqttVersion.V3_1_1, 0x30, 0x06, 0x00, 0x04, 0xEF, 0xBB, 0xBF, 'a');
        assertThat(p.topic()).isEqualTo("\uFEFFa");
    }

    @Test
    void nonCharactersAndControlCharactersOtherThanNulAreAccepted() {
        // U+0001 and U+FFFF may be refused by an application, but are valid UTF-8 (1.5.4).
        PublishPacket p = (PublishPacket) decode(MqttVersion.V3_1_1, 0x30, 0x06, 0x00, 0x04, 0x01, 0xEF, 0xBF, 0xBF);
        assertThat(p.topic()).isEqualTo("\u0001\uFFFF");
    }

    @Test
    void stringSplitAcrossCompositeBufferComponentsDecodes() {
        CompositeByteBuf buf = Unpooled.compositeBuffer();
        buf.addComponents(true, Unpooled.wrappedBuffer(bytes(0x00, 0x03, 'a', 0xC3)),
                Unpooled.wrappedBuffer(bytes(0xBC)));
        try {
            assertThat(MqttStrings.readString(buf, "test")).isEqualTo("aü");
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void isWellFormedUtf8RefusesSurrogatesAndAcceptsText() {
        assertThat(MqttStrings.isWellFormedUtf8(bytes(0xED, 0xA0, 0x80))).isFalse();
        assertThat(MqttStrings.isWellFormedUtf8(bytes(0xC3, 0x28))).isFalse();
        assertThat(MqttStrings.isWellFormedUtf8(bytes('o', 'k', 0xC3, 0xBC))).isTrue();
    }
}
