package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;
import static io.switchboard.conformance.Conformance.expectDisconnectOrCloseSkippingPackets;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** QoS 0/1/2 flows in both directions, exactly-once, downgrade, packet ids and flow control (section 4.3, 4.9). */
class QosFlowConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static String t(String name, MqttVersion v) {
        return "qosflow/" + name + "/" + v;
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 0 publish gets no acknowledgement and is delivered at QoS 0 without packet id [MQTT-4.3.1-1]")
    void qos0Inbound(MqttVersion v) {
        String topic = t("q0", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-q0-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-q0-pub-" + v)) {
            subscribe(sub, topic, 2);
            pub.send(publishPacket(topic, 0, false, 0, "zero"));
            pub.expectNothingMore(); // no PUBACK or PUBREC for QoS 0
            PublishPacket got = expectPublish(sub, topic, "zero");
            assertThat(got.qos()).isZero();
            assertThat(got.dup()).isFalse();
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 1 publish is acknowledged by PUBACK with its packet id [MQTT-4.3.2-4] and delivered once")
    void qos1Inbound(MqttVersion v) {
        String topic = t("q1", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-q1-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-q1-pub-" + v)) {
            subscribe(sub, topic, 0);
            pub.send(publishPacket(topic, 1, false, 4242, "one"));
            PubackPacket ack = pub.expect(PubackPacket.class);
            assertThat(ack.packetId()).isEqualTo(4242);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.expectNothingMore();
            expectPublish(sub, topic, "one");
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 2 publish: PUBREC with its id [MQTT-4.3.3-8], PUBREL answered by PUBCOMP [MQTT-4.3.3-11]")
    void qos2Inbound(MqttVersion v) {
        String topic = t("q2", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-q2-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-q2-pub-" + v)) {
            subscribe(sub, topic, 0);
            pub.send(publishPacket(topic, 2, false, 77, "two"));
            PubrecPacket rec = pub.expect(PubrecPacket.class);
            assertThat(rec.packetId()).isEqualTo(77);
            assertThat(rec.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.send(new PubrelPacket(77));
            PubcompPacket comp = pub.expect(PubcompPacket.class);
            assertThat(comp.packetId()).isEqualTo(77);
            assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            pub.expectNothingMore();
            expectPublish(sub, topic, "two");
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 1: PUBLISH with non-zero id and DUP 0 [MQTT-4.3.2-1]; acknowledged, it is not resent")
    void qos1Outbound(MqttVersion v) {
        String topic = t("out1", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-out1-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-out1-pub-" + v)) {
            subscribe(sub, topic, 1);
            Conformance.publishQos1(pub, topic, false, "m");
            PublishPacket got = expectPublish(sub, topic, "m");
            assertThat(got.qos()).isEqualTo(1);
            assertThat(got.packetId()).isNotZero();
            assertThat(got.dup()).isFalse();
            sub.send(new PubackPacket(got.packetId()));
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 2: PUBLISH, PUBREC -> PUBREL with the same id [MQTT-4.3.3-4], PUBCOMP ends it")
    void qos2Outbound(MqttVersion v) {
        String topic = t("out2", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-out2-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-out2-pub-" + v)) {
            subscribe(sub, topic, 2);
            pub.send(publishPacket(topic, 2, false, 9, "m2"));
            pub.expect(PubrecPacket.class);
            pub.send(new PubrelPacket(9));
            pub.expect(PubcompPacket.class);
            PublishPacket got = expectPublish(sub, topic, "m2");
            assertThat(got.qos()).isEqualTo(2);
            assertThat(got.packetId()).isNotZero();
            assertThat(got.dup()).isFalse();
            sub.send(new PubrecPacket(got.packetId()));
            PubrelPacket rel = sub.expect(PubrelPacket.class);
            assertThat(rel.packetId()).isEqualTo(got.packetId());
            assertThat(rel.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            sub.send(new PubcompPacket(got.packetId()));
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Exactly once: a resent QoS 2 PUBLISH before PUBREL gets PUBREC and is not delivered again"
            + " [MQTT-4.3.3-10]; after PUBCOMP the id starts a new message [MQTT-4.3.3-12]")
    void qos2ResendBeforePubrel(MqttVersion v) {
        String topic = t("once", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-once-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-once-pub-" + v)) {
            subscribe(sub, topic, 0);
            PublishPacket first = publishPacket(topic, 2, false, 5, "first");
            pub.send(first);
            assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(5);
            expectPublish(sub, topic, "first");

            pub.send(new PublishPacket(topic, 2, false, true, 5, Properties.EMPTY, Payload.utf8("first")));
            assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(5);
            sub.expectNothingMore(); // no second delivery

            pub.send(new PubrelPacket(5));
            assertThat(pub.expect(PubcompPacket.class).packetId()).isEqualTo(5);
            sub.expectNothingMore(); // PUBREL delivers nothing either

            pub.send(publishPacket(topic, 2, false, 5, "second"));
            assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(5);
            expectPublish(sub, topic, "second");
            pub.send(new PubrelPacket(5));
            pub.expect(PubcompPacket.class);
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("PUBREL for an unknown id gets PUBCOMP with that id [MQTT-4.3.3-11]; 5.0: 0x92 Packet Identifier not found")
    void pubrelForUnknownId(MqttVersion v) {
        try (RawClient c = RawClient.connect(broker.port(), v, "qf-unknown-rel-" + v)) {
            c.send(new PubrelPacket(321));
            PubcompPacket comp = c.expect(PubcompPacket.class);
            assertThat(comp.packetId()).isEqualTo(321);
            assertThat(comp.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND
                    : ReasonCode.SUCCESS);
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Delivered QoS is min(published QoS, granted QoS) [MQTT-3.8.4-8]")
    void qosDowngrade(MqttVersion v) {
        String low = t("down0", v);
        String high = t("down2", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-down-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-down-pub-" + v)) {
            subscribe(sub, low, 0);
            subscribe(sub, high, 2);
            pub.send(publishPacket(low, 2, false, 1, "q2-to-q0"));
            pub.expect(PubrecPacket.class);
            pub.send(new PubrelPacket(1));
            pub.expect(PubcompPacket.class);
            PublishPacket a = expectPublish(sub, low, "q2-to-q0");
            assertThat(a.qos()).isZero();
            assertThat(a.packetId()).isZero();

            Conformance.publishQos1(pub, high, false, "q1-stays-q1");
            PublishPacket b = expectPublish(sub, high, "q1-stays-q1");
            assertThat(b.qos()).isEqualTo(1);
            sub.send(new PubackPacket(b.packetId()));
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Packet ids of outbound messages in flight are non-zero and distinct (5.0 [MQTT-2.2.1-4], 3.1.1 [MQTT-2.3.1-1])")
    void inflightPacketIdsAreDistinct(MqttVersion v) {
        String topic = t("ids", v);
        try (RawClient sub = RawClient.connect(broker.port(), v, "qf-ids-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "qf-ids-pub-" + v)) {
            subscribe(sub, topic, 1);
            for (int i = 0; i < 10; i++) {
                Conformance.publishQos1(pub, topic, false, "m" + i);
            }
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                PublishPacket p = expectPublish(sub, topic, "m" + i);
                assertThat(p.packetId()).isNotZero();
                assertThat(ids.add(p.packetId())).as("packet id %d reused while in flight", p.packetId()).isTrue();
            }
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: PUBACK 0x10 No matching subscribers when nobody subscribed, 0x00 when someone did")
    void pubackNoMatchingSubscribers() {
        String topic = t("nomatch", MqttVersion.V5);
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "qf-nomatch-pub");
                RawClient sub = RawClient.connect(broker.port(), MqttVersion.V5, "qf-nomatch-sub")) {
            assertThat(Conformance.publishQos1(pub, topic, false, "nobody").reasonCode())
                    .isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
            subscribe(sub, topic, 0);
            assertThat(Conformance.publishQos1(pub, topic, false, "somebody").reasonCode())
                    .isEqualTo(ReasonCode.SUCCESS);
            expectPublish(sub, topic, "somebody");
        }
    }

    @Test
    @DisplayName("5.0: no more unacknowledged QoS 1 PUBLISHes than the client's Receive Maximum [MQTT-3.3.4-9]")
    void clientReceiveMaximum() {
        String topic = t("recvmax", MqttVersion.V5);
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "qf-recvmax-sub",
                        Properties.builder().receiveMaximum(2).build());
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "qf-recvmax-pub")) {
            subscribe(sub, topic, 1);
            for (int i = 1; i <= 3; i++) {
                Conformance.publishQos1(pub, topic, false, "m" + i);
            }
            PublishPacket m1 = expectPublish(sub, topic, "m1");
            expectPublish(sub, topic, "m2");
            sub.expectNothingMore(); // the third waits for a PUBACK
            sub.send(new PubackPacket(m1.packetId()));
            PublishPacket m3 = expectPublish(sub, topic, "m3");
            assertThat(m3.qos()).isEqualTo(1);
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: a message larger than the client's Maximum Packet Size is not sent [MQTT-3.1.2-24],"
            + " it is discarded as if delivered and the next smaller one is sent [MQTT-3.1.2-25]")
    void clientMaximumPacketSize() {
        String topic = t("cmps", MqttVersion.V5);
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "qf-cmps-sub",
                        Properties.builder().maximumPacketSize(200L).receiveMaximum(1).build());
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "qf-cmps-pub")) {
            subscribe(sub, topic, 1);
            Conformance.publishQos1(pub, topic, false, "x".repeat(500));
            pub.send(publishPacket(topic, 0, false, 0, "y".repeat(300)));
            Conformance.publishQos1(pub, topic, false, "small");
            // With Receive Maximum 1 the small message only arrives if the large one did not stay in flight.
            PublishPacket got = expectPublish(sub, topic, "small");
            sub.send(new PubackPacket(got.packetId()));
            sub.expectNothingMore();
        }
    }

    /** A broker with Receive Maximum 2 and Maximum Packet Size 1024. */
    @Nested
    class WithSmallLimits {
        @RegisterExtension
        static EmbeddedBroker limited = new EmbeddedBroker(cfg -> cfg.withMqtt(
                new MqttConfig(1024, 2, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));

        @Test
        @DisplayName("5.0: more QoS 2 PUBLISHes awaiting PUBREL than the Receive Maximum -> DISCONNECT 0x93 (section 4.9)")
        void receiveMaximumExceeded() {
            var conn = Conformance.connectCleanWithAck(limited.port(), MqttVersion.V5, "qf-rmx", Properties.EMPTY);
            try (RawClient c = conn.client()) {
                assertThat(conn.connack().properties().receiveMaximum()).isEqualTo(2);
                for (int id = 1; id <= 2; id++) {
                    c.send(publishPacket("qosflow/rmx", 2, false, id, "m" + id));
                    assertThat(c.expect(PubrecPacket.class).packetId()).isEqualTo(id);
                }
                c.send(publishPacket("qosflow/rmx", 2, false, 3, "m3"));
                expectDisconnectOrCloseSkippingPackets(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            }
        }

        @Test
        @DisplayName("5.0: PUBREL frees a Receive Maximum slot: the next QoS 2 PUBLISH is accepted")
        void receiveMaximumSlotFreedByPubrel() {
            try (RawClient c = RawClient.connect(limited.port(), MqttVersion.V5, "qf-rmx-ok")) {
                for (int id = 1; id <= 4; id++) {
                    c.send(publishPacket("qosflow/rmx-ok", 2, false, id, "m" + id));
                    assertThat(c.expect(PubrecPacket.class).packetId()).isEqualTo(id);
                    if (id % 2 == 0) {
                        c.send(new PubrelPacket(id - 1));
                        c.expect(PubcompPacket.class);
                        c.send(new PubrelPacket(id));
                        c.expect(PubcompPacket.class);
                    }
                }
                c.expectNothingMore();
            }
        }

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("A PUBLISH larger than the broker's Maximum Packet Size: 5.0 DISCONNECT 0x95 (section 3.2.2.3.6), 3.1.1 close")
        void packetTooLarge(MqttVersion v) {
            try (RawClient c = RawClient.connect(limited.port(), v, "qf-ptl-" + v)) {
                Conformance.publishQos1(c, "qosflow/ptl", false, "y".repeat(900)); // fits: accepted
                c.send(publishPacket("qosflow/ptl", 1, false, 2, "x".repeat(2000)));
                expectDisconnectOrCloseSkippingPackets(c, ReasonCode.PACKET_TOO_LARGE);
            }
        }
    }

    /** A broker with Maximum QoS 1 and no retained messages. */
    @Nested
    class WithoutQos2AndRetain {
        @RegisterExtension
        static EmbeddedBroker limited = new EmbeddedBroker(cfg -> cfg.withMqtt(
                new MqttConfig(null, null, null, 1, false, null, null, null, null, null, null, null, null, null, null, null, null)));

        @ParameterizedTest(name = "MQTT {0}")
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("PUBLISH QoS 2 above the Maximum QoS 1 -> 5.0 DISCONNECT 0x9B [MQTT-3.2.2-11], 3.1.1 close")
        void qosAboveMaximum(MqttVersion v) {
            var conn = Conformance.connectCleanWithAck(limited.port(), v, "qf-maxqos-" + v, Properties.EMPTY);
            try (RawClient c = conn.client()) {
                if (v.isV5()) {
                    assertThat(conn.connack().properties().maximumQos()).isEqualTo(1);
                }
                Conformance.publishQos1(c, "qosflow/maxqos", false, "ok");
                c.send(publishPacket("qosflow/maxqos", 2, false, 8, "too high"));
                expectDisconnectOrClose(c, ReasonCode.QOS_NOT_SUPPORTED);
            }
        }

        @ParameterizedTest(name = "MQTT {0}")
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("RETAIN when Retain Available is 0 -> 5.0 DISCONNECT 0x9A [MQTT-3.2.2-14], 3.1.1 close")
        void retainNotAvailable(MqttVersion v) {
            var conn = Conformance.connectCleanWithAck(limited.port(), v, "qf-noretain-" + v, Properties.EMPTY);
            try (RawClient c = conn.client()) {
                if (v.isV5()) {
                    assertThat(conn.connack().properties().retainAvailable()).isZero();
                }
                c.send(publishPacket("qosflow/noretain", 0, true, 0, "kept?"));
                expectDisconnectOrClose(c, ReasonCode.RETAIN_NOT_SUPPORTED);
            }
        }
    }
}
