package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.assertWire;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.property.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PINGREQ, PINGRESP, DISCONNECT and AUTH (sections 3.12-3.15). */
class ControlCodecTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void pingreq(MqttVersion v) {
        assertWire(v, PingreqPacket.INSTANCE,
                0xC0,                                   // PINGREQ
                0x00);                                  // remaining length 0
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void pingresp(MqttVersion v) {
        assertWire(v, PingrespPacket.INSTANCE,
                0xD0,                                   // PINGRESP
                0x00);                                  // remaining length 0
    }

    @Test
    void pingreqWithABodyIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0xC0, 0x01, 0x00), ReasonCode.MALFORMED_PACKET,
                "PINGREQ", "unexpected bytes");
        assertRejected(decodeError(MqttVersion.V3_1_1, 0xD0, 0x01, 0x00), ReasonCode.MALFORMED_PACKET,
                "PINGRESP", "unexpected bytes");
    }

    @Test
    void disconnect311Empty() {
        assertWire(MqttVersion.V3_1_1, DisconnectPacket.NORMAL,
                0xE0,                                   // DISCONNECT
                0x00);                                  // remaining length 0
    }

    @Test
    void disconnect311EncodingIsAlwaysEmpty() {
        DisconnectPacket p = new DisconnectPacket(ReasonCode.SERVER_SHUTTING_DOWN,
                Properties.builder().reasonString("bye").build());
        assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0xE0, 0x00));
    }

    @Test
    void disconnect311WithABodyIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0xE0, 0x01, 0x00), ReasonCode.MALFORMED_PACKET,
                "DISCONNECT", "unexpected bytes");
    }

    @Test
    @DisplayName("5.0 DISCONNECT, remaining length 0: Normal disconnection (3.14.2.1)")
    void disconnect50Empty() {
        assertWire(MqttVersion.V5, DisconnectPacket.NORMAL,
                0xE0,                                   // DISCONNECT
                0x00);                                  // remaining length 0: Normal disconnection
    }

    @Test
    @DisplayName("5.0 DISCONNECT, remaining length 1: reason code, no property length (3.14.2.2.1)")
    void disconnect50ReasonCodeOnly() {
        assertWire(MqttVersion.V5, new DisconnectPacket(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY),
                0xE0,                                   // DISCONNECT
                0x01,                                   // remaining length 1
                0x04);                                  // Disconnect with Will Message
    }

    @Test
    void disconnect50ReasonCodeAndReasonString() {
        assertWire(MqttVersion.V5, new DisconnectPacket(ReasonCode.SESSION_TAKEN_OVER,
                        Properties.builder().reasonString("dup").build()),
                0xE0,                                   // DISCONNECT
                0x08,                                   // remaining length 8
                0x8E,                                   // Session taken over
                0x06,                                   // properties length 6
                0x1F, 0x00, 0x03, 'd', 'u', 'p');       //   Reason String "dup"
    }

    @Test
    void disconnect50WithEveryDisconnectProperty() {
        Properties props = Properties.builder().sessionExpiryInterval(0L).serverReference("s2")
                .reasonString("mv").userProperty("a", "b").build();
        assertWire(MqttVersion.V5, new DisconnectPacket(ReasonCode.SERVER_MOVED, props),
                0xE0,                                   // DISCONNECT
                0x18,                                   // remaining length 24
                0x9D,                                   // Server moved
                0x16,                                   // properties length 22
                0x11, 0x00, 0x00, 0x00, 0x00,           //   Session Expiry Interval 0
                0x1C, 0x00, 0x02, 's', '2',             //   Server Reference "s2"
                0x1F, 0x00, 0x02, 'm', 'v',             //   Reason String "mv"
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b'); //  User Property a=b
    }

    @Test
    void disconnect50NormalWithExplicitCodeAndEmptyPropertiesDecodes() {
        assertThat(Wire.decode(MqttVersion.V5, 0xE0, 0x02, 0x00, 0x00)).isEqualTo(DisconnectPacket.NORMAL);
    }

    @Test
    @DisplayName("DISCONNECT reason code 0x01 is not a DISCONNECT code")
    void disconnect50ReasonCode0x01IsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0xE0, 0x01, 0x01), ReasonCode.PROTOCOL_ERROR,
                "0x01", "DISCONNECT");
    }

    @Test
    void disconnect50ReasonCodeOfAnotherPacketIsProtocolError() {
        // 0x92 Packet Identifier not found belongs to PUBREL/PUBCOMP.
        assertRejected(decodeError(MqttVersion.V5, 0xE0, 0x01, 0x92), ReasonCode.PROTOCOL_ERROR,
                "0x92", "DISCONNECT");
    }

    @Test
    @DisplayName("5.0 AUTH, remaining length 0: Success, no properties (3.15.2.1)")
    void auth50Empty() {
        assertWire(MqttVersion.V5, new AuthPacket(ReasonCode.SUCCESS, Properties.EMPTY),
                0xF0,                                   // AUTH
                0x00);                                  // remaining length 0
    }

    @Test
    void auth50ContinueWithMethodDataReasonStringAndUserProperty() {
        Properties props = Properties.builder().authenticationMethod("SCRAM").authenticationData(bytes(0x01, 0x02))
                .reasonString("r").userProperty("k", "v").build();
        assertWire(MqttVersion.V5, new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, props),
                0xF0,                                   // AUTH
                0x1A,                                   // remaining length 26
                0x18,                                   // Continue authentication
                0x18,                                   // properties length 24
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // Authentication Method "SCRAM"
                0x16, 0x00, 0x02, 0x01, 0x02,           //   Authentication Data 01 02
                0x1F, 0x00, 0x01, 'r',                  //   Reason String "r"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); //  User Property k=v
    }

    @Test
    void auth50ReauthenticateWithoutProperties() {
        assertWire(MqttVersion.V5, new AuthPacket(ReasonCode.RE_AUTHENTICATE, Properties.EMPTY),
                0xF0,                                   // AUTH
                0x02,                                   // remaining length 2
                0x19,                                   // Re-authenticate
                0x00);                                  // properties length 0
    }

    @Test
    @DisplayName("AUTH: a reason code without its property length is malformed (only both may be omitted)")
    void auth50ReasonCodeWithoutPropertyLengthIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0xF0, 0x01, 0x18), ReasonCode.MALFORMED_PACKET,
                "AUTH property length", "truncated");
    }

    @Test
    void auth50ReasonCodeNotValidInAuthIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0xF0, 0x02, 0x87, 0x00), ReasonCode.PROTOCOL_ERROR,
                "0x87", "AUTH");
    }

    @Test
    @DisplayName("3.1.1: packet type 15 is reserved")
    void auth311IsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0xF0, 0x00), ReasonCode.MALFORMED_PACKET,
                "type 15", "reserved");
    }

    @Test
    void auth311CannotBeEncoded() {
        assertThatThrownBy(() -> encode(new AuthPacket(ReasonCode.SUCCESS, Properties.EMPTY), MqttVersion.V3_1_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTH");
    }
}
