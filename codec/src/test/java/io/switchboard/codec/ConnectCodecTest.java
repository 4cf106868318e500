package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.assertWire;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.concat;
import static io.switchboard.codec.Wire.decode;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.encode;
import static io.switchboard.codec.Wire.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONNECT and CONNACK, byte by byte, and the CONNECT rules (section 3.1, 3.2). */
class ConnectCodecTest {
    /** Server side: the decoder learns the version from the CONNECT itself. */
    private static final MqttVersion SERVER = null;

    @Test
    void connectMqtt31MQIsdp() {
        assertWire(SERVER, new ConnectPacket(MqttVersion.V3_1, true, 60, "cid", null, null, null, Properties.EMPTY),
                0x10,                                   // CONNECT, flags 0
                0x11,                                   // remaining length 17
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                0x03,                                   // protocol level 3
                0x02,                                   // connect flags: clean session
                0x00, 0x3C,                             // keep alive 60
                0x00, 0x03, 'c', 'i', 'd');             // client id "cid"
    }

    @Test
    void connect311WithWillUsernameAndPassword() {
        Will will = new Will("w/t", Payload.utf8("bye"), 1, true, Properties.EMPTY);
        assertWire(SERVER, new ConnectPacket(MqttVersion.V3_1_1, true, 10, "c1", will, "user",
                        "pw".getBytes(StandardCharsets.UTF_8), Properties.EMPTY),
                0x10,                                   // CONNECT
                0x22,                                   // remaining length 34
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name "MQTT"
                0x04,                                   // protocol level 4 (3.1.1)
                0xEE,                                   // user name, password, will retain, will QoS 1, will, clean
                0x00, 0x0A,                             // keep alive 10
                0x00, 0x02, 'c', '1',                   // client id "c1"
                0x00, 0x03, 'w', '/', 't',              // will topic "w/t"
                0x00, 0x03, 'b', 'y', 'e',              // will payload "bye"
                0x00, 0x04, 'u', 's', 'e', 'r',         // user name "user"
                0x00, 0x02, 'p', 'w');                  // password "pw"
    }

    @Test
    void connect311MinimalWithEmptyClientIdAndPersistentSession() {
        assertWire(SERVER, new ConnectPacket(MqttVersion.V3_1_1, false, 0, "", null, null, null, Properties.EMPTY),
                0x10, 0x0C,                             // CONNECT, remaining length 12
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // "MQTT"
                0x04,                                   // level 4
                0x00,                                   // no flags: clean session 0
                0x00, 0x00,                             // keep alive 0 (off)
                0x00, 0x00);                            // client id "" (zero length)
    }

    @Test
    void connect50WithPropertiesWillPropertiesUsernameAndPassword() {
        Properties connectProps = Properties.builder().sessionExpiryInterval(3600L).receiveMaximum(20)
                .userProperty("k", "v").build();
        Properties willProps = Properties.builder().payloadFormatIndicator(1).messageExpiryInterval(120L)
                .contentType("text").responseTopic("r").correlationData(new byte[] {1, 2})
                .willDelayInterval(5L).userProperty("a", "b").build();
        Will will = new Will("w", Payload.utf8("ok"), 2, false, willProps);
        assertWire(SERVER, new ConnectPacket(MqttVersion.V5, false, 30, "cid", will, "u", new byte[] {1, 2, 3},
                        connectProps),
                0x10,                                   // CONNECT
                0x52,                                   // remaining length 82
                0x00, 0x04, 'M', 'Q', 'T', 'T',         // "MQTT"
                0x05,                                   // level 5
                0xD4,                                   // user name, password, will QoS 2, will; clean start 0
                0x00, 0x1E,                             // keep alive 30
                0x0F,                                   // properties length 15
                0x11, 0x00, 0x00, 0x0E, 0x10,           //   Session Expiry Interval 3600
                0x21, 0x00, 0x14,                       //   Receive Maximum 20
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   User Property k=v
                0x00, 0x03, 'c', 'i', 'd',              // client id "cid"
                0x23,                                   // will properties length 35
                0x01, 0x01,                             //   Payload Format Indicator 1 (UTF-8)
                0x02, 0x00, 0x00, 0x00, 0x78,           //   Message Expiry Interval 120
                0x03, 0x00, 0x04, 't', 'e', 'x', 't',   //   Content Type "text"
                0x08, 0x00, 0x01, 'r',                  //   Response Topic "r"
                0x09, 0x00, 0x02, 0x01, 0x02,           //   Correlation Data 01 02
                0x18, 0x00, 0x00, 0x00, 0x05,           //   Will Delay Interval 5
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b', //   User Property a=b
                0x00, 0x01, 'w',                        // will topic "w"
                0x00, 0x02, 'o', 'k',                   // will payload "ok"
                0x00, 0x01, 'u',                        // user name "u"
                0x00, 0x03, 0x01, 0x02, 0x03);          // password 01 02 03
    }

    @Test
    @DisplayName("5.0 allows a password without a user name (3.1.2.9)")
    void connect50PasswordWithoutUsernameIsAccepted() {
        assertWire(SERVER, new ConnectPacket(MqttVersion.V5, true, 0, "c", null, null, new byte[] {9},
                        Properties.EMPTY),
                0x10, 0x11,                             // CONNECT, remaining length 17
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,   // "MQTT" level 5
                0x42,                                   // password, clean start
                0x00, 0x00,                             // keep alive 0
                0x00,                                   // properties length 0
                0x00, 0x01, 'c',                        // client id "c"
                0x00, 0x01, 0x09);                      // password 09
    }

    @ParameterizedTest(name = "return code {0} = {1}")
    @CsvSource({"0, SUCCESS", "1, UNSUPPORTED_PROTOCOL_VERSION", "2, CLIENT_IDENTIFIER_NOT_VALID",
            "3, SERVER_UNAVAILABLE", "4, BAD_USER_NAME_OR_PASSWORD", "5, NOT_AUTHORIZED"})
    void connack311ReturnCodes(int returnCode, ReasonCode rc) {
        assertWire(MqttVersion.V3_1_1, new ConnackPacket(false, rc, Properties.EMPTY),
                0x20,                                   // CONNACK
                0x02,                                   // remaining length 2
                0x00,                                   // acknowledge flags: no session present
                returnCode);                            // connect return code
    }

    @Test
    void connack311SessionPresent() {
        assertWire(MqttVersion.V3_1_1, new ConnackPacket(true, ReasonCode.SUCCESS, Properties.EMPTY),
                0x20, 0x02,                             // CONNACK, remaining length 2
                0x01,                                   // session present
                0x00);                                  // accepted
    }

    @Test
    void connack311EncodesFailuresWithoutAReturnCodeAsServerUnavailableOrNotAuthorized() {
        assertThat(encode(new ConnackPacket(false, ReasonCode.BANNED, Properties.EMPTY), MqttVersion.V3_1_1))
                .containsExactly(bytes(0x20, 0x02, 0x00, 0x05));
        assertThat(encode(new ConnackPacket(false, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY), MqttVersion.V3_1_1))
                .containsExactly(bytes(0x20, 0x02, 0x00, 0x03));
    }

    @Test
    void connack311ReturnCode6IsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x20, 0x02, 0x00, 0x06),
                ReasonCode.MALFORMED_PACKET, "return code 6");
    }

    @Test
    void connack50WithProperties() {
        Properties props = Properties.builder().sessionExpiryInterval(60L).assignedClientIdentifier("id")
                .serverKeepAlive(30).receiveMaximum(10).topicAliasMaximum(5).maximumQos(1).retainAvailable(0)
                .maximumPacketSize(4096L).wildcardSubscriptionAvailable(1).subscriptionIdentifierAvailable(0)
                .sharedSubscriptionAvailable(1).build();
        assertWire(MqttVersion.V5, new ConnackPacket(true, ReasonCode.SUCCESS, props),
                0x20,                                   // CONNACK
                0x25,                                   // remaining length 37
                0x01,                                   // session present
                0x00,                                   // reason code Success
                0x22,                                   // properties length 34
                0x11, 0x00, 0x00, 0x00, 0x3C,           //   Session Expiry Interval 60
                0x12, 0x00, 0x02, 'i', 'd',             //   Assigned Client Identifier "id"
                0x13, 0x00, 0x1E,                       //   Server Keep Alive 30
                0x21, 0x00, 0x0A,                       //   Receive Maximum 10
                0x22, 0x00, 0x05,                       //   Topic Alias Maximum 5
                0x24, 0x01,                             //   Maximum QoS 1
                0x25, 0x00,                             //   Retain Available 0
                0x27, 0x00, 0x00, 0x10, 0x00,           //   Maximum Packet Size 4096
                0x28, 0x01,                             //   Wildcard Subscription Available 1
                0x29, 0x00,                             //   Subscription Identifier Available 0
                0x2A, 0x01);                            //   Shared Subscription Available 1
    }

    @Test
    void connack50RefusalWithReasonString() {
        assertWire(MqttVersion.V5, new ConnackPacket(false, ReasonCode.NOT_AUTHORIZED,
                        Properties.builder().reasonString("no").build()),
                0x20, 0x08,                             // CONNACK, remaining length 8
                0x00,                                   // no session present
                0x87,                                   // Not authorized
                0x05,                                   // properties length 5
                0x1F, 0x00, 0x02, 'n', 'o');            //   Reason String "no"
    }

    @Test
    @DisplayName("[MQTT-3.2.2-1] CONNACK acknowledge flags bits 7-1 are reserved")
    void connackReservedFlagsAreMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x20, 0x03, 0x02, 0x00, 0x00),
                ReasonCode.MALFORMED_PACKET, "reserved");
    }

    @Test
    void connack50ReasonCodeNotValidInConnackIsProtocolError() {
        // 0x10 No matching subscribers belongs to PUBACK/PUBREC only.
        assertRejected(decodeError(MqttVersion.V5, 0x20, 0x03, 0x00, 0x10, 0x00),
                ReasonCode.PROTOCOL_ERROR, "0x10", "CONNACK");
    }

    // ---- CONNECT rejections -------------------------------------------------------------------

    /** A 3.1.1 CONNECT with the given flags and the fields that follow the keep alive. */
    private static byte[] connect311(int flags, int... rest) {
        return packet(0x10, concat(bytes(0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, flags, 0x00, 0x3C), bytes(rest)));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] the reserved connect flag MUST be 0")
    void connectReservedFlagIsMalformed() {
        MqttDecodeException e = decodeError(SERVER, connect311(0x03, 0x00, 0x01, 'c'));
        assertRejected(e, ReasonCode.MALFORMED_PACKET, "reserved flag");
        assertThat(e.version()).isEqualTo(MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-12] Will QoS 3 is a Malformed Packet")
    void connectWillQos3IsMalformed() {
        byte[] connect = connect311(0x1E, 0x00, 0x01, 'c', 0x00, 0x01, 't', 0x00, 0x00);
        assertRejected(decodeError(SERVER, connect), ReasonCode.MALFORMED_PACKET, "Will QoS is 3");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-11] without the Will Flag, Will QoS MUST be 0")
    void connectWillQosWithoutWillFlagIsMalformed() {
        assertRejected(decodeError(SERVER, connect311(0x0A, 0x00, 0x01, 'c')),
                ReasonCode.MALFORMED_PACKET, "without the Will Flag");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-13] without the Will Flag, Will Retain MUST be 0")
    void connectWillRetainWithoutWillFlagIsMalformed() {
        assertRejected(decodeError(SERVER, connect311(0x22, 0x00, 0x01, 'c')),
                ReasonCode.MALFORMED_PACKET, "without the Will Flag");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] (3.1.1) a password without a user name is refused")
    void connect311PasswordWithoutUsernameIsMalformed() {
        assertRejected(decodeError(SERVER, connect311(0x42, 0x00, 0x01, 'c', 0x00, 0x01, 'p')),
                ReasonCode.MALFORMED_PACKET, "Password Flag");
    }

    @ParameterizedTest(name = "{0} level {1}")
    @CsvSource({"MQTT, 6", "MQTT, 3", "MQIsdp, 4", "MQTT, 0"})
    @DisplayName("[MQTT-3.1.2-2] an unsupported protocol level is refused with 0x84, told in 3.1.1 form")
    void connectUnsupportedProtocolLevel(String name, int level) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(bytes(0x00, n.length), n, bytes(level, 0x02, 0x00, 0x3C, 0x00, 0x01, 'c'));
        MqttDecodeException e = decodeError(SERVER, packet(0x10, body));
        assertRejected(e, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "protocol level " + level);
        assertThat(e.version()).isEqualTo(MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-1] a protocol name other than MQTT / MQIsdp is refused")
    void connectWrongProtocolName() {
        MqttDecodeException e = decodeError(SERVER,
                0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x01, 'c');
        assertRejected(e, ReasonCode.PROTOCOL_ERROR, "protocol name", "MQTX");
    }

    @Test
    void connectWithTrailingBytesAfterItsLastFieldIsMalformed() {
        MqttDecodeException e = decodeError(SERVER, connect311(0x02, 0x00, 0x01, 'c', 0x55));
        assertRejected(e, ReasonCode.MALFORMED_PACKET, "CONNECT", "1 unexpected bytes");
    }

    @Test
    void connectWithTruncatedClientIdIsMalformed() {
        assertRejected(decodeError(SERVER, connect311(0x02, 0x00, 0x05, 'c')),
                ReasonCode.MALFORMED_PACKET, "client identifier", "declares 5 bytes");
    }

    @Test
    void connect50ErrorCarriesVersion5() {
        // CONNECT 5.0 whose property section names a PUBLISH-only property (Topic Alias).
        MqttDecodeException e = decodeError(SERVER, 0x10, 0x11, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02,
                0x00, 0x00, 0x03, 0x23, 0x00, 0x01, 0x00, 0x01, 'c');
        assertRejected(e, ReasonCode.MALFORMED_PACKET, "Topic Alias", "not allowed in CONNECT");
        assertThat(e.version()).isEqualTo(MqttVersion.V5);
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] the first packet from a client MUST be CONNECT")
    void firstPacketNotConnectIsProtocolError() {
        MqttDecodeException e = decodeError(SERVER, 0xC0, 0x00);
        assertRejected(e, ReasonCode.PROTOCOL_ERROR, "first packet must be CONNECT", "PINGREQ");
        assertThat(e.version()).isNull();
    }

    @Test
    void decoderLearnsTheVersionFromConnect() {
        var ch = Wire.channel(SERVER);
        try {
            Wire.feed(ch, Wire.encode(new ConnectPacket(MqttVersion.V5, true, 0, "c", null, null, null,
                    Properties.EMPTY), MqttVersion.V5));
            assertThat(((MqttFrameDecoder) ch.pipeline().first()).version()).isEqualTo(MqttVersion.V5);
            // A 5.0-only form now decodes: DISCONNECT with a reason code.
            assertThat(Wire.feed(ch, bytes(0xE0, 0x01, 0x04))).hasSize(1);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void connectDecodesRegardlessOfTheVersionTheDecoderWasGiven() {
        ConnectPacket c = new ConnectPacket(MqttVersion.V3_1_1, true, 5, "x", null, null, null, Properties.EMPTY);
        assertThat(decode(MqttVersion.V5, encode(c, MqttVersion.V5))).isEqualTo(c);
    }
}
