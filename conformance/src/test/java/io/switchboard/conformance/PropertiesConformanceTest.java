package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectDisconnectOrCloseSkippingPackets;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MQTT 5.0 PUBLISH properties as the broker forwards and checks them (section 3.3.2.3). */
class PropertiesConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static final MqttVersion V5 = MqttVersion.V5;
    /** Not well-formed UTF-8: 0xC3 starts a two byte sequence that 0x28 does not continue. */
    private static final byte[] BAD_UTF8 = {'o', 'k', (byte) 0xC3, 0x28};

    private static String t(String name) {
        return "props/" + name;
    }

    private static RawClient subscriber(String id, String topic) {
        RawClient c = RawClient.connect(broker.port(), V5, id);
        Conformance.subscribe(c, topic, 0);
        return c;
    }

    @Test
    @DisplayName("User Properties are forwarded unaltered [MQTT-3.3.2-17], in order, repeated names included [MQTT-3.3.2-18]")
    void userPropertiesRelayedInOrder() {
        String topic = t("user");
        List<UserProperty> sent = List.of(new UserProperty("b", "1"), new UserProperty("a", "2"),
                new UserProperty("b", "3"), new UserProperty("b", "3"), new UserProperty("", ""),
                new UserProperty("ünï", "çødé ✓"));
        try (RawClient sub = subscriber("pc-user-sub", topic);
                RawClient pub = RawClient.connect(broker.port(), V5, "pc-user-pub")) {
            pub.send(publishPacket(topic, 1, 1, Properties.builder().userProperties(sent).build(), "u"));
            pub.expect(PubackPacket.class);
            assertThat(expectPublish(sub, topic, "u").properties().userProperties()).containsExactlyElementsOf(sent);
        }
    }

    @Test
    @DisplayName("Response Topic [MQTT-3.3.2-15], Correlation Data [MQTT-3.3.2-16], Content Type [MQTT-3.3.2-20]"
            + " and Payload Format Indicator [MQTT-3.3.2-4] are forwarded unaltered")
    void requestResponsePropertiesRelayed() {
        String topic = t("reqresp");
        byte[] correlation = {0, 1, (byte) 0xFF, 0x7F, 0};
        try (RawClient sub = subscriber("pc-rr-sub", topic);
                RawClient pub = RawClient.connect(broker.port(), V5, "pc-rr-pub")) {
            pub.send(publishPacket(topic, 1, 1, Properties.builder().responseTopic("props/reply/ü")
                    .correlationData(correlation).contentType("application/json; charset=utf-8")
                    .payloadFormatIndicator(1).build(), "{\"é\":1}"));
            pub.expect(PubackPacket.class);
            Properties got = expectPublish(sub, topic, "{\"é\":1}").properties();
            assertThat(got.responseTopic()).isEqualTo("props/reply/ü");
            assertThat(got.correlationData()).containsExactly(correlation);
            assertThat(got.contentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(got.payloadFormatIndicator()).isEqualTo(1);

            pub.send(publishPacket(topic, 1, 2, Properties.builder().payloadFormatIndicator(0).build(), "bytes"));
            pub.expect(PubackPacket.class);
            Properties zero = expectPublish(sub, topic, "bytes").properties();
            assertThat(zero.payloadFormatIndicator()).isEqualTo(0);
            assertThat(zero.responseTopic()).isNull();
            assertThat(zero.correlationData()).isNull();
            assertThat(zero.contentType()).isNull();
        }
    }

    @Test
    @DisplayName("Message Expiry Interval is forwarded as the received value minus the time waited [MQTT-3.3.2-6]")
    void messageExpiryForwarded() {
        String topic = t("expiry");
        try (RawClient sub = subscriber("pc-exp-sub", topic);
                RawClient pub = RawClient.connect(broker.port(), V5, "pc-exp-pub")) {
            pub.send(publishPacket(topic, 1, 1, Properties.builder().messageExpiryInterval(60L).build(), "e"));
            pub.expect(PubackPacket.class);
            assertThat(expectPublish(sub, topic, "e").properties().messageExpiryInterval()).isBetween(1L, 60L);
            Conformance.publishQos1(pub, topic, false, "no expiry");
            assertThat(expectPublish(sub, topic, "no expiry").properties().messageExpiryInterval()).isNull();
        }
    }

    @Test
    @DisplayName("Payload Format Indicator 1 with a payload that is not UTF-8: QoS 1 -> PUBACK 0x99 and no delivery,"
            + " QoS 2 -> PUBREC 0x99 (section 3.3.2.3.2)")
    void invalidUtf8PayloadAcknowledgedWith0x99() {
        String topic = t("badutf8");
        Properties utf8 = Properties.builder().payloadFormatIndicator(1).build();
        try (RawClient sub = subscriber("pc-bad1-sub", topic);
                RawClient pub = RawClient.connect(broker.port(), V5, "pc-bad1-pub")) {
            pub.send(new PublishPacket(topic, 1, false, false, 7, utf8, Payload.copyOf(BAD_UTF8)));
            PubackPacket ack = pub.expect(PubackPacket.class);
            assertThat(ack.packetId()).isEqualTo(7);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
            pub.send(new PublishPacket(topic, 2, false, false, 8, utf8, Payload.copyOf(BAD_UTF8)));
            PubrecPacket rec = pub.expect(PubrecPacket.class);
            assertThat(rec.packetId()).isEqualTo(8);
            assertThat(rec.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
            sub.expectNothingMore();
            // the same bytes without the indicator are just bytes
            pub.send(new PublishPacket(topic, 1, false, false, 9, Properties.EMPTY, Payload.copyOf(BAD_UTF8)));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(sub.expect(PublishPacket.class).payload().toByteArray()).containsExactly(BAD_UTF8);
        }
    }

    @Test
    @DisplayName("Payload Format Indicator 1 with a payload that is not UTF-8 at QoS 0 -> DISCONNECT 0x99, no delivery")
    void invalidUtf8PayloadQos0Disconnects() {
        String topic = t("badutf8q0");
        try (RawClient sub = subscriber("pc-bad0-sub", topic);
                RawClient pub = RawClient.connect(broker.port(), V5, "pc-bad0-pub")) {
            pub.send(new PublishPacket(topic, 0, false, false, 0, Properties.builder().payloadFormatIndicator(1).build(),
                    Payload.copyOf(BAD_UTF8)));
            expectDisconnectOrCloseSkippingPackets(pub, ReasonCode.PAYLOAD_FORMAT_INVALID);
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("A PUBLISH from a client with a Subscription Identifier -> DISCONNECT 0x82 [MQTT-3.3.4-6]")
    void subscriptionIdentifierInPublish() {
        try (RawClient c = RawClient.connect(broker.port(), V5, "pc-subid")) {
            c.send(publishPacket(t("subid"), 1, 1, Properties.builder().subscriptionIdentifier(5).build(), "x"));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    @DisplayName("A Response Topic with a wildcard -> DISCONNECT 0x82 [MQTT-3.3.2-14]")
    void responseTopicWithWildcard() {
        try (RawClient c = RawClient.connect(broker.port(), V5, "pc-resp-wild")) {
            Conformance.publishQos1(c, t("resp-ok"), false, "control"); // a plain PUBLISH is fine
            c.send(publishPacket(t("resp-wild"), 1, 2, Properties.builder().responseTopic("props/reply/+").build(),
                    "x"));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    @DisplayName("Request Problem Information 0: PUBACK 0x99 carries no Reason String or User Property [MQTT-3.1.2-29]")
    void requestProblemInformation0() {
        String topic = t("rpi");
        Properties utf8 = Properties.builder().payloadFormatIndicator(1).build();
        try (RawClient quiet = Conformance.connectClean(broker.port(), V5, "pc-rpi0",
                        Properties.builder().requestProblemInformation(0).build());
                RawClient chatty = RawClient.connect(broker.port(), V5, "pc-rpi1")) {
            // control: this broker explains a 0x99 when problem information is wanted (the default) ...
            chatty.send(new PublishPacket(topic, 1, false, false, 1, utf8, Payload.copyOf(BAD_UTF8)));
            PubackPacket explained = chatty.expect(PubackPacket.class);
            assertThat(explained.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(explained.properties().reasonString()).isNotNull();
            // ... and must not when the client asked it not to.
            quiet.send(new PublishPacket(topic, 1, false, false, 1, utf8, Payload.copyOf(BAD_UTF8)));
            PubackPacket ack = quiet.expect(PubackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(ack.properties().reasonString()).isNull();
            assertThat(ack.properties().userProperties()).isEmpty();
        }
    }

    @Test
    @DisplayName("A 3.1.1 subscriber of a 5.0 PUBLISH with properties receives the plain message")
    void v311SubscriberGetsPlainMessage() {
        String topic = t("to311");
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.V3_1_1, "pc-311-sub");
                RawClient pub = RawClient.connect(broker.port(), V5, "pc-311-pub")) {
            Conformance.subscribe(sub, topic, 1);
            pub.send(publishPacket(topic, 1, 1, Properties.builder().userProperty("k", "v").contentType("text/plain")
                    .responseTopic("props/reply").correlationData(new byte[] {1, 2}).payloadFormatIndicator(1)
                    .messageExpiryInterval(60L).build(), "plain"));
            pub.expect(PubackPacket.class);
            PublishPacket got = expectPublish(sub, topic, "plain"); // a properties section would garble the payload
            assertThat(got.qos()).isEqualTo(1);
            assertThat(got.properties()).isEqualTo(Properties.EMPTY);
            sub.send(new PubackPacket(got.packetId()));
            sub.expectNothingMore();
        }
    }
}
