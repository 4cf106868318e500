package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SUBSCRIBE, SUBACK, subscription options, UNSUBSCRIBE and UNSUBACK (sections 3.8 to 3.11). */
class SubscribeConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static String t(String name, MqttVersion v) {
        return "subscribe/" + name + "/" + v;
    }

    private static Properties subId(int id) {
        return Properties.builder().subscriptionIdentifier(id).build();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("SUBACK has one reason code per filter, in order [MQTT-3.8.4-6] [MQTT-3.9.3-1]: granted QoS,"
            + " invalid filter 0x8F (5.0) / 0x80 (3.1.1), $share/ 0x9E (5.0)")
    void subackReasonCodesInOrder(MqttVersion v) {
        String base = t("order", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "sc-order-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sc-order-pub-" + v)) {
            List<TopicSubscription> subs = new java.util.ArrayList<>(List.of(
                    new TopicSubscription(base + "/a", 0),
                    new TopicSubscription(base + "/b", 1),
                    new TopicSubscription(base + "/#/x", 1),
                    new TopicSubscription(base + "/c", 2)));
            if (v.isV5()) {
                subs.add(new TopicSubscription("$share/group/" + base + "/d", 1));
            }
            SubackPacket ack = Conformance.subscribeForSuback(sub, Properties.EMPTY,
                    subs.toArray(TopicSubscription[]::new));
            List<Integer> values = ack.reasonCodes().stream().map(ReasonCode::value).toList();
            if (v.isV5()) {
                assertThat(values).containsExactly(0x00, 0x01, 0x8F, 0x02, 0x01);
            } else {
                assertThat(values).containsExactly(0x00, 0x01, 0x80, 0x02);
            }
            // the valid filters of the packet are in force [MQTT-3.8.4-5]
            Conformance.publishQos1(pub, base + "/b", false, "b");
            PublishPacket got = expectPublish(sub, base + "/b", "b");
            sub.send(new PubackPacket(got.packetId()));
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A SUBSCRIBE with an existing filter replaces the subscription [MQTT-3.8.4-3]: new QoS, one delivery")
    void resubscribeReplaces(MqttVersion v) {
        String topic = t("replace", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "sc-replace-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sc-replace-pub-" + v)) {
            subscribe(sub, topic, 0);
            subscribe(sub, topic, 1);
            Conformance.publishQos1(pub, topic, false, "once");
            PublishPacket got = expectPublish(sub, topic, "once");
            assertThat(got.qos()).isEqualTo(1);
            sub.send(new PubackPacket(got.packetId()));
            sub.expectNothingMore();
            subscribe(sub, topic, 0); // and back down
            Conformance.publishQos1(pub, topic, false, "again");
            assertThat(expectPublish(sub, topic, "again").qos()).isZero();
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Overlapping subscriptions: one delivery at the highest QoS [MQTT-3.3.4-2],"
            + " 5.0 with all their Subscription Identifiers [MQTT-3.3.4-3] [MQTT-3.3.4-4]")
    void overlappingSubscriptions(MqttVersion v) {
        String base = t("overlap", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "sc-overlap-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sc-overlap-pub-" + v)) {
            Properties none = Properties.EMPTY;
            Conformance.subscribeForSuback(sub, v.isV5() ? subId(11) : none, new TopicSubscription(base + "/+", 0));
            Conformance.subscribeForSuback(sub, v.isV5() ? subId(12) : none, new TopicSubscription(base + "/#", 2));
            Conformance.subscribeForSuback(sub, v.isV5() ? subId(13) : none, new TopicSubscription(base + "/a", 1));
            Conformance.subscribeForSuback(sub, none, new TopicSubscription(base + "/a/#", 0)); // no identifier
            pub.send(publishPacket(base + "/a", 2, false, 3, "overlap"));
            pub.expect(io.switchboard.codec.packet.PubrecPacket.class);
            PublishPacket got = expectPublish(sub, base + "/a", "overlap");
            assertThat(got.qos()).isEqualTo(2);
            if (v.isV5()) {
                assertThat(got.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(11, 12, 13);
            }
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 No Local: messages are not forwarded to the publishing client id [MQTT-3.8.3-3]")
    void noLocal() {
        String local = t("nolocal", MqttVersion.V5);
        String plain = t("local", MqttVersion.V5);
        try (RawClient me = RawClient.connect(broker.port(), MqttVersion.V5, "sc-nolocal-me");
                RawClient other = RawClient.connect(broker.port(), MqttVersion.V5, "sc-nolocal-other")) {
            Conformance.subscribeForSuback(me, Properties.EMPTY, new TopicSubscription(local, 0, true, false, 0));
            Conformance.subscribeForSuback(me, Properties.EMPTY, new TopicSubscription(plain, 0));
            subscribe(other, local, 0);
            Conformance.publishQos1(me, local, false, "not to me");
            expectPublish(other, local, "not to me");
            Conformance.publishQos1(me, plain, false, "to me"); // without No Local the publisher gets its own message
            expectPublish(me, plain, "to me");
            me.expectNothingMore();
            Conformance.publishQos1(other, local, false, "from other");
            expectPublish(me, local, "from other");
        }
    }

    @Test
    @DisplayName("5.0 Retain As Published: RETAIN kept when set [MQTT-3.3.1-13], else forwarded as 0 [MQTT-3.3.1-12]")
    void retainAsPublished() {
        String topic = t("rap", MqttVersion.V5);
        try (RawClient rap = RawClient.connect(broker.port(), MqttVersion.V5, "sc-rap-1");
                RawClient norap = RawClient.connect(broker.port(), MqttVersion.V5, "sc-rap-0");
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "sc-rap-pub")) {
            Conformance.subscribeForSuback(rap, Properties.EMPTY, new TopicSubscription(topic, 0, false, true, 0));
            Conformance.subscribeForSuback(norap, Properties.EMPTY, new TopicSubscription(topic, 0, false, false, 0));
            Conformance.publishQos1(pub, topic, true, "retained");
            assertThat(expectPublish(rap, topic, "retained").retain()).isTrue();
            assertThat(expectPublish(norap, topic, "retained").retain()).isFalse();
            Conformance.publishQos1(pub, topic, false, "plain");
            assertThat(expectPublish(rap, topic, "plain").retain()).isFalse();
            assertThat(expectPublish(norap, topic, "plain").retain()).isFalse();
            Conformance.publishQos1(pub, topic, true, ""); // clean up the retained message
        }
    }

    @Test
    @DisplayName("5.0: the Subscription Identifier is sent with matching messages [MQTT-3.3.4-3], none without one")
    void subscriptionIdentifier() {
        String with = t("subid", MqttVersion.V5);
        String without = t("nosubid", MqttVersion.V5);
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.V5, "sc-subid-sub");
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "sc-subid-pub")) {
            Conformance.subscribeForSuback(sub, subId(268_435_455), new TopicSubscription(with, 0));
            Conformance.subscribeForSuback(sub, Properties.EMPTY, new TopicSubscription(without, 0));
            Conformance.publishQos1(pub, with, false, "w");
            assertThat(expectPublish(sub, with, "w").properties().subscriptionIdentifiers())
                    .containsExactly(268_435_455);
            Conformance.publishQos1(pub, without, false, "wo");
            assertThat(expectPublish(sub, without, "wo").properties().subscriptionIdentifiers()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("UNSUBSCRIBE deletes the subscription [MQTT-3.10.4-1] and is answered by UNSUBACK [MQTT-3.10.4-4]"
            + " [MQTT-3.10.4-5]: 5.0 0x00 / 0x11 in order [MQTT-3.11.3-1], 3.1.1 only the packet id")
    void unsubscribe(MqttVersion v) {
        String topic = t("unsub", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "sc-unsub-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sc-unsub-pub-" + v)) {
            subscribe(sub, topic, 1);
            int id = Conformance.nextId();
            sub.send(new UnsubscribePacket(id, List.of(topic, t("never", v)), Properties.EMPTY));
            UnsubackPacket ack = sub.expect(UnsubackPacket.class);
            assertThat(ack.packetId()).isEqualTo(id);
            if (v.isV5()) {
                assertThat(ack.reasonCodes()).containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED);
            } else {
                assertThat(ack.reasonCodes()).isEmpty();
            }
            PubackPacket puback = Conformance.publishQos1(pub, topic, false, "after");
            if (v.isV5()) {
                assertThat(puback.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
            }
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: UNSUBSCRIBE with an invalid filter gets 0x8F Topic Filter invalid for it (3.11.3), "
            + "the other filters are processed, in order [MQTT-3.11.3-1]")
    void unsubscribeInvalidFilter() {
        MqttVersion v = MqttVersion.V5;
        String topic = t("unsub-invalid", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "sc-unsub-invalid-sub");
                RawClient pub = RawClient.connect(broker.port(), v, "sc-unsub-invalid-pub")) {
            subscribe(sub, topic, 1);
            int id = Conformance.nextId();
            sub.send(new UnsubscribePacket(id, List.of("subscribe/bad/#/x", topic, "subscribe/bad+"),
                    Properties.EMPTY));
            UnsubackPacket ack = sub.expect(UnsubackPacket.class);
            assertThat(ack.packetId()).isEqualTo(id);
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.SUCCESS,
                    ReasonCode.TOPIC_FILTER_INVALID);
            assertThat(Conformance.publishQos1(pub, topic, false, "after").reasonCode())
                    .as("the valid filter was unsubscribed").isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("3.1.1: UNSUBACK has a Remaining Length of 2, just the packet id (3.1.1 section 3.11.1)")
    void unsubackIs311Sized() {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V3_1_1, "sc-unsuback-raw")) {
            // UNSUBSCRIBE id 0x1234, filter "u/x"
            c.sendBytes(0xA2, 7, 0x12, 0x34, 0x00, 3, 'u', '/', 'x');
            UnsubackPacket ack = c.expect(UnsubackPacket.class); // our 3.1.1 decoder refuses any extra bytes
            assertThat(ack.packetId()).isEqualTo(0x1234);
            assertThat(ack.reasonCodes()).isEmpty();
        }
    }

    /** A broker whose Maximum QoS is 1. */
    @Nested
    class WithMaximumQos1 {
        @RegisterExtension
        static EmbeddedBroker limited = new EmbeddedBroker(cfg -> cfg.withMqtt(
                new MqttConfig(null, null, null, 1, null, null, null, null, null, null, null, null, null, null, null, null, null)));

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("Requested QoS 2 is accepted [MQTT-3.2.2-10] and granted at most the Maximum QoS 1 [MQTT-3.8.4-7]")
        void grantedQosCapped(MqttVersion v) {
            String topic = "subscribe/capped/" + v;
            try (RawClient sub = RawClient.connect(limited.port(), v, "sc-capped-sub-" + v);
                    RawClient pub = RawClient.connect(limited.port(), v, "sc-capped-pub-" + v)) {
                SubackPacket ack = Conformance.subscribeForSuback(sub, Properties.EMPTY,
                        new TopicSubscription(topic, 2), new TopicSubscription(topic + "/zero", 0));
                assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_0);
                Conformance.publishQos1(pub, topic, false, "q1");
                assertThat(expectPublish(sub, topic, "q1").qos()).isEqualTo(1);
            }
        }
    }
}
