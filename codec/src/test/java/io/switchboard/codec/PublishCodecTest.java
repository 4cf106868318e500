package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.assertWire;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.concat;
import static io.switchboard.codec.Wire.decode;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PUBLISH (section 3.3), byte by byte, and its rules. */
class PublishCodecTest {

    @Test
    void publish311Qos0() {
        assertWire(MqttVersion.V3_1_1, new PublishPacket("a/b", 0, false, false, 0, Properties.EMPTY,
                        Payload.utf8("hi")),
                0x30,                                   // PUBLISH, QoS 0, no DUP, no RETAIN
                0x07,                                   // remaining length 7
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                'h', 'i');                              // payload
    }

    @Test
    void publish50Qos0() {
        assertWire(MqttVersion.V5, new PublishPacket("a/b", 0, false, false, 0, Properties.EMPTY,
                        Payload.utf8("hi")),
                0x30,                                   // PUBLISH, QoS 0, no DUP, no RETAIN
                0x08,                                   // remaining length 8
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x00,                                   // properties length 0 (5.0)
                'h', 'i');                              // payload
    }

    @Test
    void publish311Qos1Retain() {
        assertWire(MqttVersion.V3_1_1, new PublishPacket("a/b", 1, true, false, 10, Properties.EMPTY,
                        Payload.utf8("x")),
                0x33,                                   // PUBLISH, QoS 1, RETAIN
                0x08,                                   // remaining length 8
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x00, 0x0A,                             // packet id 10
                'x');                                   // payload
    }

    @Test
    void publish311Qos2DupWithEmptyPayload() {
        assertWire(MqttVersion.V3_1_1, new PublishPacket("a/b", 2, false, true, 0x1234, Properties.EMPTY,
                        Payload.EMPTY),
                0x3C,                                   // PUBLISH, DUP, QoS 2
                0x07,                                   // remaining length 7
                0x00, 0x03, 'a', '/', 'b',              // topic "a/b"
                0x12, 0x34);                            // packet id 0x1234, no payload
    }

    @Test
    void publish50Qos2RetainNoProperties() {
        assertWire(MqttVersion.V5, new PublishPacket("t", 2, true, false, 65_535, Properties.EMPTY,
                        Payload.wrap(bytes(0x00, 0xFF))),
                0x35,                                   // PUBLISH, QoS 2, RETAIN
                0x08,                                   // remaining length 8
                0x00, 0x01, 't',                        // topic "t"
                0xFF, 0xFF,                             // packet id 65535
                0x00,                                   // properties length 0
                0x00, 0xFF);                            // binary payload
    }

    @Test
    @DisplayName("5.0 PUBLISH with every PUBLISH property, user properties in order, subscription ids repeated")
    void publish50WithAllProperties() {
        Properties props = Properties.builder().payloadFormatIndicator(0).messageExpiryInterval(10L)
                .contentType("js").responseTopic("r/1").correlationData(bytes(0xCA, 0xFE))
                .subscriptionIdentifier(5).subscriptionIdentifier(128).topicAlias(2)
                .userProperty("z", "1").userProperty("a", "2").userProperty("z", "3").build();
        PublishPacket p = new PublishPacket("t", 1, true, true, 7, props, Payload.utf8("p"));
        assertWire(MqttVersion.V5, p,
                0x3B,                                   // PUBLISH, DUP, QoS 1, RETAIN
                0x3B,                                   // remaining length 59
                0x00, 0x01, 't',                        // topic "t"
                0x00, 0x07,                             // packet id 7
                0x34,                                   // properties length 52
                0x01, 0x00,                             //   Payload Format Indicator 0
                0x02, 0x00, 0x00, 0x00, 0x0A,           //   Message Expiry Interval 10
                0x03, 0x00, 0x02, 'j', 's',             //   Content Type "js"
                0x08, 0x00, 0x03, 'r', '/', '1',        //   Response Topic "r/1"
                0x09, 0x00, 0x02, 0xCA, 0xFE,           //   Correlation Data CA FE
                0x0B, 0x05,                             //   Subscription Identifier 5
                0x0B, 0x80, 0x01,                       //   Subscription Identifier 128 (2-byte VBI)
                0x23, 0x00, 0x02,                       //   Topic Alias 2
                0x26, 0x00, 0x01, 'z', 0x00, 0x01, '1', //   User Property z=1
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '2', //   User Property a=2
                0x26, 0x00, 0x01, 'z', 0x00, 0x01, '3', //   User Property z=3 (repeated name)
                'p');                                   // payload
        PublishPacket decoded = (PublishPacket) decode(MqttVersion.V5, Wire.encode(p, MqttVersion.V5));
        assertThat(decoded.properties().subscriptionIdentifiers()).containsExactly(5, 128);
        assertThat(decoded.properties().userProperties()).containsExactly(
                new UserProperty("z", "1"), new UserProperty("a", "2"), new UserProperty("z", "3"));
    }

    @Test
    @DisplayName("5.0 PUBLISH with an empty topic standing on a Topic Alias (3.3.2.1)")
    void publish50EmptyTopicWithTopicAlias() {
        assertWire(MqttVersion.V5, new PublishPacket("", 0, false, false, 0,
                        Properties.builder().topicAlias(1).build(), Payload.utf8("q")),
                0x30, 0x07,                             // PUBLISH QoS 0, remaining length 7
                0x00, 0x00,                             // topic "" (zero length)
                0x03, 0x23, 0x00, 0x01,                 // properties length 3: Topic Alias 1
                'q');                                   // payload
    }

    @Test
    void publish311PayloadBytesThatLookLikePropertiesStayPayload() {
        PublishPacket p = (PublishPacket) decode(MqttVersion.V3_1_1, 0x30, 0x06, 0x00, 0x01, 't', 0x02, 0x23, 0x00);
        assertThat(p.properties()).isEqualTo(Properties.EMPTY);
        assertThat(p.payload().toByteArray()).containsExactly(0x02, 0x23, 0x00);
    }

    @ParameterizedTest(name = "payload {0} bytes")
    @ValueSource(ints = {1023, 1024, 4096})
    void encoderWrapsPayloadsFrom1024BytesInACompositeBufferWithTheSameBytes(int size) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31);
        }
        PublishPacket p = new PublishPacket("big", 1, false, false, 3, Properties.EMPTY, Payload.wrap(payload));
        ByteBuf buf = MqttCodec.encode(p, MqttVersion.V5, ByteBufAllocator.DEFAULT);
        try {
            assertThat(buf instanceof CompositeByteBuf).as("composite").isEqualTo(size >= 1024);
            int remaining = 2 + 3 + 2 + 1 + size;  // topic, packet id, properties length, payload
            byte[] expected = concat(bytes(0x32), Wire.vbi(remaining),
                    bytes(0x00, 0x03, 'b', 'i', 'g', 0x00, 0x03, 0x00), payload);
            assertThat(hex(ByteBufUtil.getBytes(buf))).isEqualTo(hex(expected));
        } finally {
            buf.release();
        }
        assertThat(decode(MqttVersion.V5, Wire.encode(p, MqttVersion.V5))).isEqualTo(p);
    }

    // ---- rejections ----------------------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.3.1-4] a PUBLISH MUST NOT have both QoS bits set")
    void publishQos3IsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x36, 0x06, 0x00, 0x01, 't', 0x00, 0x01, 0x00),
                ReasonCode.MALFORMED_PACKET, "QoS 3");
    }

    @Test
    @DisplayName("[MQTT-3.3.1-2] the DUP flag MUST be 0 for QoS 0")
    void publishDupWithQos0IsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x38, 0x03, 0x00, 0x01, 't'),
                ReasonCode.MALFORMED_PACKET, "DUP", "QoS 0");
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("[MQTT-2.2.1-3] a PUBLISH with QoS > 0 needs a non-zero packet identifier")
    void publishPacketId0IsRefused(int qos) {
        MqttDecodeException e = decodeError(MqttVersion.V5, 0x30 | qos << 1, 0x06, 0x00, 0x01, 't', 0x00, 0x00, 0x00);
        assertRejected(e, ReasonCode.PROTOCOL_ERROR, "PUBLISH", "packet identifier 0");
        assertThat(e.version()).isEqualTo(MqttVersion.V5);
    }

    @Test
    void publishWithoutTopicIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x30, 0x00),
                ReasonCode.MALFORMED_PACKET, "topic name", "truncated");
    }

    @Test
    void publishTopicLongerThanThePacketIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x30, 0x04, 0x00, 0x09, 'a', 'b'),
                ReasonCode.MALFORMED_PACKET, "topic name", "declares 9 bytes");
    }

    @Test
    void publishQos1WithTruncatedPacketIdIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x32, 0x04, 0x00, 0x01, 't', 0x01),
                ReasonCode.MALFORMED_PACKET, "packet identifier", "truncated");
    }

    @Test
    void publish50WithoutPropertyLengthIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0x03, 0x00, 0x01, 't'),
                ReasonCode.MALFORMED_PACKET, "PUBLISH property length", "truncated");
    }

    @Test
    void decodedPayloadIsACopyNotAViewOfTheInputBuffer() {
        byte[] wire = bytes(0x30, 0x05, 0x00, 0x01, 't', 'o', 'k');
        PublishPacket p = (PublishPacket) decode(MqttVersion.V3_1_1, wire);
        wire[5] = 'X';
        assertThat(p.payload().toUtf8String()).isEqualTo("ok");
        assertThat(p.payload()).isEqualTo(Payload.utf8("ok"));
    }
}
