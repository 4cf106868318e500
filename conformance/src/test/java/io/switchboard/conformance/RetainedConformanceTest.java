package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retained messages (section 3.3.1.3) and Retain Handling (section 3.8.3.1). */
class RetainedConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static String t(String name, MqttVersion v) {
        return "retained/" + name + "/" + v;
    }

    /** Subscribes with the given Retain Handling (5.0) at QoS 0. */
    private static void subscribeRh(RawClient c, String filter, int retainHandling) {
        SubackPacket ack = Conformance.subscribeForSuback(c, Properties.EMPTY,
                new TopicSubscription(filter, 0, false, false, retainHandling));
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_0);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A retained message is stored [MQTT-3.3.1-5] and sent to a new subscription with RETAIN=1"
            + " (5.0 [MQTT-3.3.1-9], 3.1.1 [MQTT-3.3.1-8])")
    void deliveredOnSubscribe(MqttVersion v) {
        String topic = t("onsub", v);
        try (RawClient pub = RawClient.connect(broker.port(), v, "rc-onsub-pub-" + v)) {
            Conformance.publishQos1(pub, topic, true, "stored");
        }
        try (RawClient sub = RawClient.connect(broker.port(), v, "rc-onsub-sub-" + v)) {
            Conformance.subscribe(sub, topic, 0);
            PublishPacket got = expectPublish(sub, topic, "stored");
            assertThat(got.retain()).isTrue();
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: a retained message sent because of a SUBSCRIBE carries that SUBSCRIBE's Subscription "
            + "Identifier [MQTT-3.3.4-3] (3.8.2.1.2)")
    void retainedCarriesSubscriptionIdentifier() {
        MqttVersion v = MqttVersion.V5;
        String topic = t("subid", v);
        try (RawClient pub = RawClient.connect(broker.port(), v, "rc-subid-pub");
                RawClient sub = RawClient.connect(broker.port(), v, "rc-subid-sub")) {
            Conformance.publishQos1(pub, topic, true, "kept");
            SubackPacket ack = Conformance.subscribeForSuback(sub,
                    Properties.builder().subscriptionIdentifier(7).build(), new TopicSubscription(topic, 0));
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_0);
            PublishPacket got = expectPublish(sub, topic, "kept");
            assertThat(got.retain()).isTrue();
            assertThat(got.properties().subscriptionIdentifiers()).containsExactly(7);
            sub.expectNothingMore();
            Conformance.publishQos1(pub, topic, true, ""); // clean up the retained message
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A newer retained message replaces the old one, one per topic [MQTT-3.3.1-5];"
            + " a RETAIN=0 message does not (5.0 [MQTT-3.3.1-8], 3.1.1 [MQTT-3.3.1-7])")
    void replacedByNewer(MqttVersion v) {
        String topic = t("replace", v);
        try (RawClient pub = RawClient.connect(broker.port(), v, "rc-replace-pub-" + v);
                RawClient sub = RawClient.connect(broker.port(), v, "rc-replace-sub-" + v)) {
            Conformance.publishQos1(pub, topic, true, "v1");
            Conformance.publishQos1(pub, topic, true, "v2");
            Conformance.publishQos1(pub, topic, false, "not retained");
            Conformance.subscribe(sub, topic, 0);
            assertThat(expectPublish(sub, topic, "v2").retain()).isTrue();
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("An empty retained payload is forwarded normally, deletes the retained message and is not stored"
            + " itself (5.0 [MQTT-3.3.1-6] [MQTT-3.3.1-7], 3.1.1 [MQTT-3.3.1-10] [MQTT-3.3.1-11])")
    void deletedByEmptyPayload(MqttVersion v) {
        String topic = t("delete", v);
        try (RawClient pub = RawClient.connect(broker.port(), v, "rc-delete-pub-" + v);
                RawClient existing = RawClient.connect(broker.port(), v, "rc-delete-existing-" + v)) {
            Conformance.publishQos1(pub, topic, true, "doomed");
            Conformance.subscribe(existing, topic, 0);
            expectPublish(existing, topic, "doomed");
            Conformance.publishQos1(pub, topic, true, "");
            PublishPacket empty = expectPublish(existing, topic, ""); // processed as normal
            assertThat(empty.retain()).isFalse();
        }
        try (RawClient late = RawClient.connect(broker.port(), v, "rc-delete-late-" + v)) {
            Conformance.subscribe(late, topic, 0);
            late.expectNothingMore(); // neither the deleted message nor the empty one
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A live RETAIN=1 message to an existing subscription is forwarded with RETAIN=0"
            + " (5.0 without Retain As Published [MQTT-3.3.1-12], 3.1.1 [MQTT-3.3.1-9])")
    void liveRetainedForwardedWithRetain0(MqttVersion v) {
        String topic = t("live", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "rc-live-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "rc-live-pub-" + v)) {
            Conformance.subscribe(sub, topic, 0);
            Conformance.publishQos1(pub, topic, true, "live");
            assertThat(expectPublish(sub, topic, "live").retain()).isFalse();
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 Retain Handling 0 sends retained messages on every subscribe [MQTT-3.3.1-9] [MQTT-3.8.4-4]")
    void retainHandling0() {
        String topic = t("rh0", MqttVersion.V5);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "rc-rh0")) {
            Conformance.publishQos1(c, topic, true, "r");
            subscribeRh(c, topic, 0);
            assertThat(expectPublish(c, topic, "r").retain()).isTrue();
            subscribeRh(c, topic, 0); // re-subscribe
            assertThat(expectPublish(c, topic, "r").retain()).isTrue();
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 Retain Handling 1 sends retained messages only for a new subscription [MQTT-3.3.1-10]")
    void retainHandling1() {
        String topic = t("rh1", MqttVersion.V5);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "rc-rh1")) {
            Conformance.publishQos1(c, topic, true, "r");
            subscribeRh(c, topic, 1);
            assertThat(expectPublish(c, topic, "r").retain()).isTrue();
            subscribeRh(c, topic, 1); // the subscription exists: nothing
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 Retain Handling 2 sends no retained messages [MQTT-3.3.1-11]; live messages still flow")
    void retainHandling2() {
        String topic = t("rh2", MqttVersion.V5);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "rc-rh2")) {
            Conformance.publishQos1(c, topic, true, "r");
            subscribeRh(c, topic, 2);
            c.expectNothingMore();
            Conformance.publishQos1(c, topic, false, "live");
            expectPublish(c, topic, "live");
        }
    }

    @Test
    @DisplayName("5.0: an expired retained message is not sent to a later subscriber [MQTT-3.3.2-5]")
    void retainedMessageExpires() {
        String base = t("expiry", MqttVersion.V5);
        long routedBy;
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "rc-expiry-pub")) {
            pub.send(publishPacket(base + "/short", 1, true, 1, Properties.builder().messageExpiryInterval(1L).build(),
                    "gone"));
            pub.send(publishPacket(base + "/long", 1, true, 2,
                    Properties.builder().messageExpiryInterval(3600L).build(), "kept"));
            pub.send(publishPacket(base + "/never", 1, true, 3, "forever"));
            for (int id = 1; id <= 3; id++) {
                assertThat(pub.expect(PubackPacket.class).packetId()).isEqualTo(id);
            }
            routedBy = System.currentTimeMillis(); // the broker stamped the messages before this
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> System.currentTimeMillis() > routedBy + 1_100);
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.V5, "rc-expiry-sub")) {
            Conformance.subscribe(sub, base + "/#", 0);
            Map<String, PublishPacket> got = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                PublishPacket p = sub.expect(PublishPacket.class);
                got.put(p.topic(), p);
            }
            sub.expectNothingMore();
            assertThat(got).containsOnlyKeys(base + "/long", base + "/never");
            assertThat(got.get(base + "/long").properties().messageExpiryInterval()).isBetween(1L, 3600L);
            assertThat(got.get(base + "/never").properties().messageExpiryInterval()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A wildcard subscription receives every matching retained message, each with RETAIN=1")
    void wildcardReceivesAllMatching(MqttVersion v) {
        String base = t("wild", v);
        try (RawClient pub = RawClient.connect(broker.port(), v, "rc-wild-pub-" + v);
                RawClient sub = RawClient.connect(broker.port(), v, "rc-wild-sub-" + v);
                RawClient plus = RawClient.connect(broker.port(), v, "rc-wild-plus-" + v)) {
            for (String s : new String[] {"", "/a", "/b/c", "/d", "x/e"}) {
                Conformance.publishQos1(pub, base + s, true, "m" + s);
            }
            Conformance.subscribe(sub, base + "/#", 0);
            Map<String, String> got = new HashMap<>();
            for (int i = 0; i < 4; i++) {
                PublishPacket p = sub.expect(PublishPacket.class);
                assertThat(p.retain()).isTrue();
                got.put(p.topic(), p.payload().toUtf8String());
            }
            sub.expectNothingMore();
            assertThat(got).containsOnly(Map.entry(base, "m"), Map.entry(base + "/a", "m/a"),
                    Map.entry(base + "/b/c", "m/b/c"), Map.entry(base + "/d", "m/d"));

            Conformance.subscribe(plus, base + "/+", 0);
            Map<String, String> single = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                PublishPacket p = plus.expect(PublishPacket.class);
                single.put(p.topic(), p.payload().toUtf8String());
            }
            plus.expectNothingMore();
            assertThat(single).containsOnly(Map.entry(base + "/a", "m/a"), Map.entry(base + "/d", "m/d"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A retained message is delivered at min(its QoS, granted QoS) [MQTT-3.8.4-8]")
    void retainedQosIsMinimum(MqttVersion v) {
        String base = t("qos", v);
        try (RawClient pub = RawClient.connect(broker.port(), v, "rc-qos-pub-" + v);
                RawClient sub = RawClient.connect(broker.port(), v, "rc-qos-sub-" + v)) {
            pub.send(publishPacket(base + "/two", 2, true, 1, "q2"));
            pub.expect(PubrecPacket.class);
            pub.send(new PubrelPacket(1));
            pub.expect(PubcompPacket.class);
            Conformance.publishQos1(pub, base + "/one", true, "q1");
            pub.send(publishPacket(base + "/zero", 0, true, 0, "q0"));
            pub.expectNothingMore();

            Conformance.subscribe(sub, base + "/two", 1);
            PublishPacket two = expectPublish(sub, base + "/two", "q2");
            assertThat(two.qos()).isEqualTo(1);
            sub.send(new PubackPacket(two.packetId()));
            Conformance.subscribe(sub, base + "/one", 2);
            PublishPacket one = expectPublish(sub, base + "/one", "q1");
            assertThat(one.qos()).isEqualTo(1);
            sub.send(new PubackPacket(one.packetId()));
            Conformance.subscribe(sub, base + "/zero", 2);
            assertThat(expectPublish(sub, base + "/zero", "q0").qos()).isZero();
            sub.expectNothingMore();
        }
    }
}
