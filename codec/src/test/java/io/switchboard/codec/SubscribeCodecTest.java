package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.assertWire;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.encode;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.property.Properties;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (sections 3.8-3.11). */
class SubscribeCodecTest {
    private static final ReasonCode SUCCESS = ReasonCode.SUCCESS;

    @Test
    void subscribe311() {
        assertWire(MqttVersion.V3_1_1, new SubscribePacket(10,
                        List.of(new TopicSubscription("a/b", 1), new TopicSubscription("#", 2)), Properties.EMPTY),
                0x82,                                   // SUBSCRIBE, flags 0x2
                0x0C,                                   // remaining length 12
                0x00, 0x0A,                             // packet id 10
                0x00, 0x03, 'a', '/', 'b',              // topic filter "a/b"
                0x01,                                   //   requested QoS 1
                0x00, 0x01, '#',                        // topic filter "#"
                0x02);                                  //   requested QoS 2
    }

    @Test
    void subscribe50WithOptionsAndProperties() {
        Properties props = Properties.builder().subscriptionIdentifier(10).userProperty("k", "v").build();
        assertWire(MqttVersion.V5, new SubscribePacket(10, List.of(
                        new TopicSubscription("a/b", 1, true, true, 2),
                        new TopicSubscription("c", 0, false, false, 1),
                        new TopicSubscription("d", 2, false, false, 0)), props),
                0x82,                                   // SUBSCRIBE, flags 0x2
                0x1A,                                   // remaining length 26
                0x00, 0x0A,                             // packet id 10
                0x09,                                   // properties length 9
                0x0B, 0x0A,                             //   Subscription Identifier 10
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   User Property k=v
                0x00, 0x03, 'a', '/', 'b',              // topic filter "a/b"
                0x2D,                                   //   retain handling 2, retain as published, no local, QoS 1
                0x00, 0x01, 'c',                        // topic filter "c"
                0x10,                                   //   retain handling 1, QoS 0
                0x00, 0x01, 'd',                        // topic filter "d"
                0x02);                                  //   QoS 2, everything else default
    }

    @Test
    void subscribe311EncodingWritesOnlyTheQosBits() {
        SubscribePacket p = new SubscribePacket(1, List.of(new TopicSubscription("a", 1, true, true, 2)),
                Properties.EMPTY);
        assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x01));
    }

    @Test
    void suback311() {
        assertWire(MqttVersion.V3_1_1, new SubackPacket(10, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1,
                        ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY),
                0x90,                                   // SUBACK
                0x06,                                   // remaining length 6
                0x00, 0x0A,                             // packet id 10
                0x00, 0x01, 0x02,                       // granted QoS 0, 1, 2
                0x80);                                  // failure
    }

    @Test
    void suback311EncodesEveryFailureAs0x80() {
        SubackPacket p = new SubackPacket(1, List.of(ReasonCode.NOT_AUTHORIZED, ReasonCode.GRANTED_QOS_1),
                Properties.EMPTY);
        assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0x90, 0x04, 0x00, 0x01, 0x80, 0x01));
    }

    @Test
    void suback50WithReasonString() {
        assertWire(MqttVersion.V5, new SubackPacket(10, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.NOT_AUTHORIZED,
                        ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED), Properties.builder().reasonString("x").build()),
                0x90,                                   // SUBACK
                0x0A,                                   // remaining length 10
                0x00, 0x0A,                             // packet id 10
                0x04,                                   // properties length 4
                0x1F, 0x00, 0x01, 'x',                  //   Reason String "x"
                0x01,                                   // Granted QoS 1
                0x87,                                   // Not authorized
                0xA2);                                  // Wildcard Subscriptions not supported
    }

    @Test
    void suback311ReturnCodeOutside3_1_1IsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x90, 0x03, 0x00, 0x01, 0x87),
                ReasonCode.MALFORMED_PACKET, "SUBACK return code 135");
    }

    @Test
    void suback50ReasonCodeNotValidInSubackIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0x90, 0x04, 0x00, 0x01, 0x00, 0x10),
                ReasonCode.PROTOCOL_ERROR, "0x10", "SUBACK");
    }

    @Test
    void unsuback50WithoutReasonCodesIsProtocolError() {
        // Section 3.11.3: one reason code per topic filter of the UNSUBSCRIBE.
        assertRejected(decodeError(MqttVersion.V5, 0xB0, 0x03, 0x00, 0x01, 0x00),
                ReasonCode.PROTOCOL_ERROR, "UNSUBACK has no reason code");
    }

    @Test
    void subackWithoutReasonCodesIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0x90, 0x03, 0x00, 0x01, 0x00),
                ReasonCode.PROTOCOL_ERROR, "SUBACK has no reason code");
    }

    @Test
    void unsubscribe311() {
        assertWire(MqttVersion.V3_1_1, new UnsubscribePacket(11, List.of("a/b", "#"), Properties.EMPTY),
                0xA2,                                   // UNSUBSCRIBE, flags 0x2
                0x0A,                                   // remaining length 10
                0x00, 0x0B,                             // packet id 11
                0x00, 0x03, 'a', '/', 'b',              // topic filter "a/b"
                0x00, 0x01, '#');                       // topic filter "#"
    }

    @Test
    void unsubscribe50WithUserProperty() {
        assertWire(MqttVersion.V5, new UnsubscribePacket(11, List.of("a/b"),
                        Properties.builder().userProperty("k", "v").build()),
                0xA2,                                   // UNSUBSCRIBE, flags 0x2
                0x0F,                                   // remaining length 15
                0x00, 0x0B,                             // packet id 11
                0x07,                                   // properties length 7
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   User Property k=v
                0x00, 0x03, 'a', '/', 'b');             // topic filter "a/b"
    }

    @Test
    @DisplayName("3.1.1 UNSUBACK has only a packet id, no payload")
    void unsuback311() {
        assertWire(MqttVersion.V3_1_1, new UnsubackPacket(11, List.of(), Properties.EMPTY),
                0xB0,                                   // UNSUBACK
                0x02,                                   // remaining length 2
                0x00, 0x0B);                            // packet id 11
    }

    @Test
    void unsuback311EncodingDropsReasonCodes() {
        UnsubackPacket p = new UnsubackPacket(11, List.of(SUCCESS, ReasonCode.NOT_AUTHORIZED), Properties.EMPTY);
        assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes(0xB0, 0x02, 0x00, 0x0B));
    }

    @Test
    void unsuback311WithAPayloadIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0xB0, 0x03, 0x00, 0x0B, 0x00),
                ReasonCode.MALFORMED_PACKET, "UNSUBACK", "unexpected bytes");
    }

    @Test
    void unsuback50WithReasonCodes() {
        assertWire(MqttVersion.V5, new UnsubackPacket(11, List.of(SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED,
                        ReasonCode.NOT_AUTHORIZED), Properties.EMPTY),
                0xB0,                                   // UNSUBACK
                0x06,                                   // remaining length 6
                0x00, 0x0B,                             // packet id 11
                0x00,                                   // properties length 0
                0x00,                                   // Success
                0x11,                                   // No subscription existed
                0x87);                                  // Not authorized
    }

    @Test
    void unsuback50WithReasonString() {
        assertWire(MqttVersion.V5, new UnsubackPacket(11, List.of(ReasonCode.TOPIC_FILTER_INVALID),
                        Properties.builder().reasonString("bad").build()),
                0xB0, 0x0A,                             // UNSUBACK, remaining length 10
                0x00, 0x0B,                             // packet id 11
                0x06, 0x1F, 0x00, 0x03, 'b', 'a', 'd',  // properties: Reason String "bad"
                0x8F);                                  // Topic Filter invalid
    }

    @Test
    void unsuback50ReasonCodeNotValidInUnsubackIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0xB0, 0x04, 0x00, 0x0B, 0x00, 0x10),
                ReasonCode.PROTOCOL_ERROR, "0x10", "UNSUBACK");
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE rules ---------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.8.3-3] (3.1.1) a SUBSCRIBE MUST contain at least one topic filter")
    void subscribe311WithoutTopicFilterIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x82, 0x02, 0x00, 0x01),
                ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE has no topic filter");
    }

    @Test
    @DisplayName("5.0 section 3.8.3: a SUBSCRIBE with no payload is a Protocol Error")
    void subscribe50WithoutTopicFilterIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0x82, 0x03, 0x00, 0x01, 0x00),
                ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE has no topic filter");
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] (3.1.1) the upper 6 bits of the requested QoS byte MUST be 0")
    void subscribe311ReservedOptionBitsAreMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x04),
                ReasonCode.MALFORMED_PACKET, "reserved bits 2-7", "'a'");
    }

    @Test
    @DisplayName("[MQTT-3.8.3-5] (5.0) reserved bits 6-7 of the Subscription Options MUST be 0")
    void subscribe50ReservedOptionBitsAreMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x40),
                ReasonCode.MALFORMED_PACKET, "reserved bits 6-7", "'a'");
    }

    @Test
    @DisplayName("[MQTT-3-8.3-4] (3.1.1) requested QoS 3 is a malformed SUBSCRIBE")
    void subscribe311Qos3IsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03),
                ReasonCode.MALFORMED_PACKET, "QoS 3");
    }

    @Test
    @DisplayName("5.0 section 3.8.3.1: it is a Protocol Error if the Maximum QoS field has the value 3")
    void subscribe50Qos3IsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x03),
                ReasonCode.PROTOCOL_ERROR, "QoS 3");
    }

    @Test
    @DisplayName("5.0 section 3.8.3.1: it is a Protocol Error to send a Retain Handling value of 3")
    void subscribe50RetainHandling3IsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x31),
                ReasonCode.PROTOCOL_ERROR, "Retain Handling 3");
    }

    @Test
    void subscribeFilterWithoutOptionsByteIsMalformed() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
                ReasonCode.MALFORMED_PACKET, "Subscription Options", "missing");
    }

    @Test
    @DisplayName("[MQTT-2.2.1-3] SUBSCRIBE needs a non-zero packet identifier")
    void subscribePacketId0IsProtocolError() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 'a', 0x00),
                ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE", "packet identifier 0");
    }

    @Test
    @DisplayName("[MQTT-2.2.1-3] UNSUBSCRIBE needs a non-zero packet identifier")
    void unsubscribePacketId0IsProtocolError() {
        assertRejected(decodeError(MqttVersion.V5, 0xA2, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 'a'),
                ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE", "packet identifier 0");
    }

    @Test
    @DisplayName("[MQTT-3.10.3-2] an UNSUBSCRIBE MUST contain at least one topic filter")
    void unsubscribeWithoutTopicFilterIsProtocolError() {
        assertRejected(decodeError(MqttVersion.V3_1_1, 0xA2, 0x02, 0x00, 0x01),
                ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE has no topic filter");
        assertRejected(decodeError(MqttVersion.V5, 0xA2, 0x03, 0x00, 0x01, 0x00),
                ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE has no topic filter");
    }
}
