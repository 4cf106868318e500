package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.ack;
import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.disconnect;
import static io.switchboard.conformance.Conformance.expectDisconnect;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Session state across connections: 3.1.1 sections 3.1.2.4, 4.1, 4.4; 5.0 sections 3.1.2.4, 3.1.2.11.2, 4.1, 4.4. */
class SessionConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static RawClient publisher(MqttVersion v, String name) {
        return connect(broker, connectPacket(v, "ss-pub-" + name + "-" + v, true, null, 0, null), false);
    }

    private static BrokerMetrics metrics() {
        return broker.broker().metrics();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Clean Session/Clean Start 1 discards the session: Session Present 0, subscriptions gone "
            + "[MQTT-3.1.2-6]/[MQTT-3.2.2-1] (3.1.1), [MQTT-3.1.2-4]/[MQTT-3.2.2-2] (5.0)")
    void cleanStartDiscardsSession(MqttVersion v) {
        String id = "ss-clean-" + v;
        String topic = "ss/clean/" + v;
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic, 1);
            disconnect(c);
        }
        try (RawClient c = connect(broker, persistent(v, id, true), false);
                RawClient pub = publisher(v, "clean")) {
            ReasonCode rc = publish(pub, topic, 1, 1, "nobody");
            if (v.isV5()) {
                assertThat(rc).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS); // the old subscription is gone
            }
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a persistent session survives disconnection; QoS 1 and 2 messages published meanwhile arrive in order "
            + "[MQTT-3.1.2-4]/[MQTT-3.1.2-5]/[MQTT-3.2.2-2] (3.1.1), [MQTT-3.1.2-5]/[MQTT-3.1.2-23]/[MQTT-3.2.2-3] (5.0), "
            + "[MQTT-4.6.0-6]")
    void persistentSessionResumed(MqttVersion v) {
        String id = "ss-resume-" + v;
        String topic = "ss/resume/" + v;
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic + "/+", 2);
            disconnect(c);
        }
        try (RawClient pub = publisher(v, "resume")) {
            publish(pub, topic + "/a", 1, 1, "m1");
            publish(pub, topic + "/b", 2, 2, "m2");
            publish(pub, topic + "/a", 1, 3, "m3");
            publish(pub, topic + "/b", 2, 4, "m4");
        }
        try (RawClient c = connect(broker, persistent(v, id, false), true)) {
            // All four may come at once (within the Receive Maximum): read them, then acknowledge.
            List<PublishPacket> got = List.of(expectPublish(c, topic + "/a", "m1"),
                    expectPublish(c, topic + "/b", "m2"), expectPublish(c, topic + "/a", "m3"),
                    expectPublish(c, topic + "/b", "m4"));
            assertThat(got).extracting(PublishPacket::qos).containsExactly(1, 2, 1, 2);
            got.forEach(p -> ack(c, p));
            c.expectNothingMore();
            // The subscription is still in force for live messages.
            try (RawClient pub = publisher(v, "resume2")) {
                publish(pub, topic + "/c", 1, 1, "live");
            }
            receive(c, topic + "/c", "live");
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 0 messages are not queued for an offline session by default (3.1.1 [MQTT-3.1.2-5] MAY)")
    void qos0NotQueuedOffline(MqttVersion v) {
        String id = "ss-qos0-" + v;
        String topic = "ss/qos0/" + v;
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic, 1);
            disconnect(c);
        }
        long dropped = metrics().droppedOfflineQos0.sum();
        try (RawClient pub = publisher(v, "qos0")) {
            publish(pub, topic, 0, 0, "q0");
            publish(pub, topic, 1, 1, "q1");
        }
        try (RawClient c = connect(broker, persistent(v, id, false), true)) {
            receive(c, topic, "q1");
            c.expectNothingMore();
        }
        assertThat(metrics().droppedOfflineQos0.sum() - dropped).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("an unacknowledged QoS 1 PUBLISH is resent on resume with DUP 1 and its packet id "
            + "[MQTT-4.4.0-1], [MQTT-3.3.1-1]")
    void inflightQos1Resent(MqttVersion v) {
        String id = "ss-inflight-" + v;
        String topic = "ss/inflight/" + v;
        PublishPacket first;
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic, 1);
            try (RawClient pub = publisher(v, "inflight")) {
                publish(pub, topic, 1, 1, "unacked");
            }
            first = c.expect(PublishPacket.class);
            assertThat(first.dup()).isFalse();
            disconnect(c); // no PUBACK
        }
        try (RawClient c = connect(broker, persistent(v, id, false), true)) {
            PublishPacket again = c.expect(PublishPacket.class);
            assertThat(again.packetId()).isEqualTo(first.packetId());
            assertThat(again.dup()).isTrue();
            assertThat(again.qos()).isEqualTo(1);
            assertThat(again.payload().toUtf8String()).isEqualTo("unacked");
            c.send(new PubackPacket(again.packetId()));
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 2: after PUBREC the PUBREL is resent on resume, not the PUBLISH [MQTT-4.4.0-1]")
    void pubrelResent(MqttVersion v) {
        String id = "ss-pubrel-" + v;
        String topic = "ss/pubrel/" + v;
        int packetId;
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic, 2);
            try (RawClient pub = publisher(v, "pubrel")) {
                publish(pub, topic, 2, 1, "exactly-once");
            }
            PublishPacket p = c.expect(PublishPacket.class);
            assertThat(p.qos()).isEqualTo(2);
            packetId = p.packetId();
            c.send(new PubrecPacket(packetId));
            assertThat(c.expect(PubrelPacket.class).packetId()).isEqualTo(packetId);
            disconnect(c); // no PUBCOMP
        }
        try (RawClient c = connect(broker, persistent(v, id, false), true)) {
            assertThat(c.expect(PubrelPacket.class).packetId()).isEqualTo(packetId);
            c.send(new PubcompPacket(packetId));
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 2: a PUBLISH not yet acknowledged by PUBREC is resent on resume with DUP 1 and its packet id "
            + "[MQTT-4.4.0-1], [MQTT-3.3.1-1]")
    void inflightQos2Resent(MqttVersion v) {
        String id = "ss-inflight2-" + v;
        String topic = "ss/inflight2/" + v;
        PublishPacket first;
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic, 2);
            try (RawClient pub = publisher(v, "inflight2")) {
                publish(pub, topic, 2, 1, "no-pubrec");
            }
            first = c.expect(PublishPacket.class);
            assertThat(first.qos()).isEqualTo(2);
            assertThat(first.dup()).isFalse();
            disconnect(c); // no PUBREC
        }
        try (RawClient c = connect(broker, persistent(v, id, false), true)) {
            PublishPacket again = c.expect(PublishPacket.class);
            assertThat(again.packetId()).isEqualTo(first.packetId());
            assertThat(again.dup()).isTrue();
            assertThat(again.qos()).isEqualTo(2);
            assertThat(again.topic()).isEqualTo(topic);
            assertThat(again.payload().toUtf8String()).isEqualTo("no-pubrec");
            c.send(new PubrecPacket(again.packetId()));
            assertThat(c.expect(PubrelPacket.class).packetId()).isEqualTo(again.packetId());
            c.send(new PubcompPacket(again.packetId()));
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("inbound QoS 2 awaiting PUBREL survives a reconnect: the resent PUBLISH (DUP 1) gets PUBREC and is not "
            + "delivered again, PUBREL gets PUBCOMP [MQTT-4.3.3-9], [MQTT-4.4.0-1] (exactly once across reconnect)")
    void inboundQos2SurvivesReconnect(MqttVersion v) {
        String id = "ss-inbound2-" + v;
        String topic = "ss/inbound2/" + v;
        try (RawClient sub = publisher(v, "inbound2-sub")) {
            subscribe(sub, 1, topic, 0);
            try (RawClient c = connect(broker, persistent(v, id, false), false)) {
                c.send(Conformance.publishPacket(topic, 2, false, 5, "once"));
                assertThat(c.expect(PubrecPacket.class).packetId()).isEqualTo(5);
            } // connection lost before PUBREL
            expectPublish(sub, topic, "once");
            try (RawClient c = connect(broker, persistent(v, id, false), true)) {
                c.send(new PublishPacket(topic, 2, false, true, 5, Properties.EMPTY, Payload.utf8("once")));
                PubrecPacket rec = c.expect(PubrecPacket.class);
                assertThat(rec.packetId()).isEqualTo(5);
                assertThat(rec.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                sub.expectNothingMore(); // no second copy
                c.send(new PubrelPacket(5));
                PubcompPacket comp = c.expect(PubcompPacket.class);
                assertThat(comp.packetId()).isEqualTo(5);
                assertThat(comp.reasonCode()).as("the id was still awaiting PUBREL").isEqualTo(ReasonCode.SUCCESS);
                c.expectNothingMore();
                sub.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a session with expiry 0 (5.0 no Session Expiry Interval, 3.1.1 Clean Session 1) ends at disconnection "
            + "[MQTT-3.1.2-6] (3.1.1), section 3.1.2.11.2 (5.0)")
    void sessionExpiryZeroEnds(MqttVersion v) {
        String id = "ss-zero-" + v;
        String topic = "ss/zero/" + v;
        // 5.0: Clean Start 0 without Session Expiry Interval; 3.1.1: Clean Session 1.
        try (RawClient c = connect(broker, connectPacket(v, id, !v.isV5(), null, 0, null), false)) {
            subscribe(c, 1, topic, 1);
            disconnect(c);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(id) == null);
        try (RawClient c = connect(broker, persistent(v, id, false), false);
                RawClient pub = publisher(v, "zero")) {
            publish(pub, topic, 1, 1, "gone");
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 a session with Session Expiry Interval 1 s is deleted when it expires (3.1.2.11.2), "
            + "then Session Present 0 [MQTT-3.2.2-3]")
    void sessionExpires() {
        MqttVersion v = MqttVersion.V5;
        String id = "ss-expire";
        try (RawClient c = connect(broker, connectPacket(v, id, false, 1L, 0, null), false)) {
            subscribe(c, 1, "ss/expire", 1);
            disconnect(c);
        }
        assertThat(broker.broker().sessions().get(id)).as("kept after disconnection").isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(id) == null);
        try (RawClient c = connect(broker, connectPacket(v, id, false, 1L, 0, null), false)) {
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 DISCONNECT with a non-zero Session Expiry Interval after 0 in CONNECT: DISCONNECT 0x82 (3.14.2.2.2)")
    void disconnectCannotSetExpiryAfterZero() {
        try (RawClient c = connect(broker, connectPacket(MqttVersion.V5, "ss-dis-expiry", true, null, 0, null),
                false)) {
            c.send(new DisconnectPacket(ReasonCode.NORMAL_DISCONNECTION,
                    Properties.builder().sessionExpiryInterval(60L).build()));
            expectDisconnect(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    @DisplayName("5.0 DISCONNECT may set the Session Expiry Interval to 0: the session ends (3.14.2.2.2)")
    void disconnectLowersExpiryToZero() {
        MqttVersion v = MqttVersion.V5;
        String id = "ss-dis-zero";
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, "ss/dis-zero", 1);
            c.send(new DisconnectPacket(ReasonCode.NORMAL_DISCONNECTION,
                    Properties.builder().sessionExpiryInterval(0L).build()));
            c.expectClosed();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(id) == null);
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the queue of an offline session is bounded (maxQueuedMessages 3): the first 3 arrive, 2 are dropped and counted")
    void queueBound(MqttVersion v) {
        try (EmbeddedBroker small = EmbeddedBroker.started(cfg -> cfg.withSessions(new SessionConfig(null, null, 3,
                null, null)))) {
            String id = "ss-bound-" + v;
            String topic = "ss/bound/" + v;
            try (RawClient c = connect(small, persistent(v, id, false), false)) {
                subscribe(c, 1, topic, 1);
                disconnect(c);
            }
            long dropped = small.broker().metrics().droppedQueueFull.sum();
            try (RawClient pub = connect(small, connectPacket(v, "ss-bound-pub-" + v, true, null, 0, null), false)) {
                for (int i = 1; i <= 5; i++) {
                    publish(pub, topic, 1, i, "m" + i);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> small.broker().metrics().droppedQueueFull.sum()
                    - dropped == 2);
            try (RawClient c = connect(small, persistent(v, id, false), true)) {
                receive(c, topic, "m1");
                receive(c, topic, "m2");
                receive(c, topic, "m3");
                c.expectNothingMore();
            }
            assertThat(small.broker().metrics().droppedQueueFull.sum() - dropped).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("5.0 Message Expiry Interval: an expired queued message is not delivered [MQTT-3.3.2-5]; "
            + "the others carry the remaining interval [MQTT-3.3.2-6]")
    void messageExpiry() {
        MqttVersion v = MqttVersion.V5;
        String id = "ss-msg-expiry";
        String topic = "ss/msg-expiry";
        try (RawClient c = connect(broker, persistent(v, id, false), false)) {
            subscribe(c, 1, topic, 1);
            disconnect(c);
        }
        long expired = metrics().droppedExpired.sum();
        long acked;
        try (RawClient pub = publisher(v, "msg-expiry")) {
            publish(pub, new PublishPacket(topic, 1, false, false, 1,
                    Properties.builder().messageExpiryInterval(1L).build(), Payload.utf8("short")));
            acked = System.currentTimeMillis(); // the broker received it before this
            publish(pub, new PublishPacket(topic, 1, false, false, 2,
                    Properties.builder().messageExpiryInterval(100L).build(), Payload.utf8("long")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > acked + 1_100);
        try (RawClient c = connect(broker, persistent(v, id, false), true)) {
            PublishPacket p = c.expect(PublishPacket.class);
            assertThat(p.payload().toUtf8String()).isEqualTo("long");
            assertThat(p.properties().messageExpiryInterval()).isNotNull().isBetween(1L, 100L);
            assertThat(p.properties().messageExpiryInterval()).isLessThan(100L); // it waited over a second
            ack(c, p);
            c.expectNothingMore();
        }
        assertThat(metrics().droppedExpired.sum() - expired).isEqualTo(1);
    }

    @Test
    @DisplayName("5.0 resume with a smaller Receive Maximum: only that many unacknowledged PUBLISHes are resent at "
            + "once, the rest (same packet ids, DUP 1) as acknowledgements free the window "
            + "[MQTT-4.9.0-2], [MQTT-4.4.0-1], section 4.9 (the send quota is re-initialized per connection)")
    void resumeRespectsNewReceiveMaximum() {
        MqttVersion v = MqttVersion.V5;
        String id = "ss-resume-rm";
        String topic = "ss/resume-rm";
        List<PublishPacket> sent = new java.util.ArrayList<>();
        try (RawClient c = connect(broker, new io.switchboard.codec.packet.ConnectPacket(v, false, 0, id, null, null,
                null, Properties.builder().sessionExpiryInterval(Conformance.PERSISTENT_EXPIRY).receiveMaximum(4)
                        .build()), false)) {
            subscribe(c, 1, topic, 1);
            try (RawClient pub = publisher(v, "resume-rm")) {
                for (int i = 1; i <= 4; i++) {
                    publish(pub, topic, 1, i, "m" + i);
                }
            }
            for (int i = 1; i <= 4; i++) {
                sent.add(expectPublish(c, topic, "m" + i));
            }
            disconnect(c); // none acknowledged
        }
        try (RawClient c = connect(broker, new io.switchboard.codec.packet.ConnectPacket(v, false, 0, id, null, null,
                null, Properties.builder().sessionExpiryInterval(Conformance.PERSISTENT_EXPIRY).receiveMaximum(2)
                        .build()), true)) {
            PublishPacket r1 = expectPublish(c, topic, "m1");
            PublishPacket r2 = expectPublish(c, topic, "m2");
            c.expectNothingMore(); // Receive Maximum 2: two unacknowledged at most
            assertThat(List.of(r1.packetId(), r2.packetId()))
                    .containsExactly(sent.get(0).packetId(), sent.get(1).packetId());
            assertThat(r1.dup() && r2.dup()).isTrue();
            c.send(new PubackPacket(r1.packetId()));
            PublishPacket r3 = expectPublish(c, topic, "m3");
            assertThat(r3.dup()).isTrue();
            assertThat(r3.packetId()).isEqualTo(sent.get(2).packetId());
            c.expectNothingMore();
            c.send(new PubackPacket(r2.packetId()));
            c.send(new PubackPacket(r3.packetId()));
            PublishPacket r4 = expectPublish(c, topic, "m4");
            assertThat(r4.packetId()).isEqualTo(sent.get(3).packetId());
            c.send(new PubackPacket(r4.packetId()));
            c.expectNothingMore();
        }
    }
}
