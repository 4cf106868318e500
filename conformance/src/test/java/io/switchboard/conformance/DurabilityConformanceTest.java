package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.disconnect;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static io.switchboard.conformance.Conformance.subscribeForSuback;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.storage.rocksdb.RocksStorage;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import io.switchboard.testkit.RawClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the broker stores survives a restart, on RocksDB with durability sync (5.0 section 4.1 and
 * 3.1.1 section 4.1: the session state on the server). Each test stops its broker and starts a new
 * one on the same data directory.
 */
class DurabilityConformanceTest {

    private static EmbeddedBroker durableBroker() {
        EmbeddedBroker b = new EmbeddedBroker().durable();
        b.start();
        return b;
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("After a restart a persistent session resumes with Session Present 1 and its subscriptions, "
            + "and messages queued while it was offline arrive in order, QoS 1 and 2 ([MQTT-3.2.2-2], [MQTT-4.6.0-6])")
    void sessionAndQueueSurviveRestart(MqttVersion v) {
        try (EmbeddedBroker b = durableBroker()) {
            String id = "dur-queue-" + v;
            String topic = "dur/queue/" + v;
            try (RawClient c = connect(b, persistent(v, id, false), false)) {
                subscribe(c, 1, topic, 2);
                disconnect(c);
            }
            try (RawClient pub = RawClient.connect(b.port(), v, "dur-pub-" + v)) {
                publish(pub, topic, 1, 1, "one");
                publish(pub, topic, 2, 2, "two");
                publish(pub, topic, 1, 3, "three");
            }
            b.restart();
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                PublishPacket one = expectPublish(c, topic, "one");
                PublishPacket two = expectPublish(c, topic, "two");
                PublishPacket three = expectPublish(c, topic, "three");
                assertThat(java.util.List.of(one.qos(), two.qos(), three.qos())).containsExactly(1, 2, 1);
                Conformance.ack(c, one);
                Conformance.ack(c, two);
                Conformance.ack(c, three);
                c.expectNothingMore();
                // The subscription itself came back: a message published now arrives too.
                try (RawClient pub = RawClient.connect(b.port(), v, "dur-pub2-" + v)) {
                    publish(pub, topic, 1, 4, "four");
                }
                receive(c, topic, "four");
            }
        }
    }

    @Test
    @DisplayName("Subscription options and identifiers survive a restart: No Local, Retain As Published, the "
            + "Subscription Identifier and the granted QoS ([MQTT-3.8.3-3], [MQTT-3.3.1-12], [MQTT-3.3.4-3])")
    void subscriptionOptionsSurviveRestart() {
        try (EmbeddedBroker b = durableBroker()) {
            MqttVersion v = MqttVersion.V5;
            String id = "dur-opts";
            try (RawClient c = connect(b, persistent(v, id, false), false)) {
                subscribeForSuback(c, Properties.builder().subscriptionIdentifiers(java.util.List.of(7)).build(),
                        new TopicSubscription("dur/opts/#", 1, true, true, 0));
                disconnect(c);
            }
            b.restart();
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                // No Local: its own message does not come back.
                c.send(publishPacket("dur/opts/own", 1, false, 1, "own"));
                assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(1);
                c.expectNothingMore();
                try (RawClient pub = RawClient.connect(b.port(), v, "dur-opts-pub")) {
                    pub.send(publishPacket("dur/opts/x", 2, true, 1, "x"));
                    assertThat(pub.expect(PubrecPacket.class).packetId()).isEqualTo(1);
                    pub.send(new PubrelPacket(1));
                    pub.expect(PubcompPacket.class);
                }
                PublishPacket p = expectPublish(c, "dur/opts/x", "x");
                assertThat(p.qos()).as("granted QoS 1").isEqualTo(1);
                assertThat(p.retain()).as("Retain As Published").isTrue();
                assertThat(p.properties().subscriptionIdentifiers()).containsExactly(7);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A QoS 1 message sent and not acknowledged before the restart is sent again after it "
            + "([MQTT-4.4.0-1]: at least once)")
    void unacknowledgedQos1IsResentAfterRestart(MqttVersion v) {
        try (EmbeddedBroker b = durableBroker()) {
            String id = "dur-inflight1-" + v;
            String topic = "dur/inflight1/" + v;
            try (RawClient c = connect(b, persistent(v, id, false), false)) {
                subscribe(c, 1, topic, 1);
                try (RawClient pub = RawClient.connect(b.port(), v, "dur-inflight1-pub-" + v)) {
                    publish(pub, topic, 1, 1, "m");
                }
                expectPublish(c, topic, "m"); // received, never acknowledged
            }
            b.restart();
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                PublishPacket again = expectPublish(c, topic, "m");
                c.send(new PubackPacket(again.packetId()));
                c.expectNothingMore();
            }
            b.restart();
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                c.expectNothingMore(); // acknowledged: gone for good
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 2 across a restart: a PUBLISH not yet received is resent with DUP under the same "
            + "packet id; once PUBREC came, PUBREL is resent, not the PUBLISH ([MQTT-4.4.0-1], [MQTT-4.3.3-7])")
    void outboundQos2ResumesAfterRestart(MqttVersion v) {
        try (EmbeddedBroker b = durableBroker()) {
            String id = "dur-out2-" + v;
            String topic = "dur/out2/" + v;
            int firstId;
            int secondId;
            try (RawClient c = connect(b, persistent(v, id, false), false)) {
                subscribe(c, 1, topic, 2);
                try (RawClient pub = RawClient.connect(b.port(), v, "dur-out2-pub-" + v)) {
                    publish(pub, topic, 2, 1, "first");
                    publish(pub, topic, 2, 2, "second");
                }
                PublishPacket first = expectPublish(c, topic, "first");
                PublishPacket second = expectPublish(c, topic, "second");
                firstId = first.packetId();
                secondId = second.packetId();
                c.send(new PubrecPacket(firstId)); // the first is received; the second is not
                assertThat(c.expect(PubrelPacket.class).packetId()).isEqualTo(firstId);
            }
            b.restart();
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                PubrelPacket rel = c.expect(PubrelPacket.class);
                assertThat(rel.packetId()).isEqualTo(firstId);
                PublishPacket again = expectPublish(c, topic, "second");
                assertThat(again.packetId()).as("same packet id").isEqualTo(secondId);
                assertThat(again.dup()).as("DUP").isTrue();
                c.send(new PubcompPacket(firstId));
                c.send(new PubrecPacket(secondId));
                assertThat(c.expect(PubrelPacket.class).packetId()).isEqualTo(secondId);
                c.send(new PubcompPacket(secondId));
                c.expectNothingMore();
            }
        }
    }

    /** A durable broker whose storage writes the test can hold back ({@link GatedStorage}), at each start. */
    private static EmbeddedBroker gatedBroker(AtomicReference<GatedStorage> gate) {
        EmbeddedBroker b = new EmbeddedBroker().durable();
        b.with(builder -> {
            GatedStorage g = new GatedStorage(RocksStorage.open(b.config().storage(), Clock.systemUTC()));
            gate.set(g);
            return builder.storage(g);
        });
        b.start();
        return b;
    }

    /** A subscriber at QoS 2 with a persistent session, holding one QoS 2 PUBLISH it has not acknowledged. */
    private static PublishPacket qos2Received(EmbeddedBroker b, RawClient s, MqttVersion v, String topic) {
        subscribe(s, 1, topic, 2);
        try (RawClient pub = RawClient.connect(b.port(), v, topic.replace('/', '-') + "-pub")) {
            publish(pub, topic, 2, 1, "once");
        }
        return expectPublish(s, topic, "once");
    }

    /**
     * A persistent QoS 2 subscriber receives a PUBLISH and answers PUBREC while storage holds that
     * write back, then goes (no PUBREL came); returns the packet id.
     */
    private static int pubrecHeldThenGone(EmbeddedBroker b, GatedStorage gate, MqttVersion v, String id, String topic) {
        try (RawClient s = connect(b, persistent(v, id, false), false)) {
            PublishPacket p = qos2Received(b, s, v, topic);
            gate.holdFromRelease();
            s.send(new PubrecPacket(p.packetId()));
            s.expectNothingMore(); // no PUBREL while the PUBREC is not on disk
            return p.packetId();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 2: PUBREL goes once the PUBREC is durable. The client forgets the packet id when "
            + "PUBREL comes; a PUBLISH resent after a restart that lost the PUBREC would then be taken twice "
            + "([MQTT-4.3.3-6]: no PUBLISH resent once PUBREL was sent; [MQTT-4.3.3-12])")
    void pubrelWaitsForDurablePubrec(MqttVersion v) {
        AtomicReference<GatedStorage> gate = new AtomicReference<>();
        try (EmbeddedBroker b = gatedBroker(gate)) {
            String topic = "dur/pubrel/" + v;
            try (RawClient s = connect(b, persistent(v, "dur-pubrel-" + v, false), false)) {
                PublishPacket p = qos2Received(b, s, v, topic);
                gate.get().holdFromRelease();
                s.send(new PubrecPacket(p.packetId()));
                s.expectNothingMore(); // not while the PUBREC is not on disk
                assertThat(gate.get().held()).as("the write of the PUBREC, held").isEqualTo(1);
                gate.get().open();
                assertThat(s.expect(PubrelPacket.class).packetId()).isEqualTo(p.packetId());
                s.send(new PubcompPacket(p.packetId()));
                s.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 2: a crash that loses the PUBREC resends the PUBLISH, with DUP under its packet id, "
            + "to a client that never saw PUBREL and so still knows the id: it is received once "
            + "([MQTT-4.4.0-1], [MQTT-4.3.3-10])")
    void crashBeforePubrecIsDurableResendsPublish(MqttVersion v) {
        AtomicReference<GatedStorage> gate = new AtomicReference<>();
        try (EmbeddedBroker b = gatedBroker(gate)) {
            String topic = "dur/pubrel-crash/" + v;
            String id = "dur-pubrel-crash-" + v;
            int packetId = pubrecHeldThenGone(b, gate.get(), v, id, topic);
            b.close(); // the held write is lost, as in a crash before its fsync
            b.start();
            try (RawClient s = connect(b, persistent(v, id, false), true)) {
                PublishPacket again = expectPublish(s, topic, "once");
                assertThat(again.packetId()).as("same packet id").isEqualTo(packetId);
                assertThat(again.dup()).as("DUP").isTrue();
                s.send(new PubrecPacket(packetId)); // the client has it: acknowledged, not taken again
                assertThat(s.expect(PubrelPacket.class).packetId()).isEqualTo(packetId);
                s.send(new PubcompPacket(packetId));
                s.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 2: a client that reconnects while its PUBREC is being stored gets PUBREL once it "
            + "is durable, not before ([MQTT-4.4.0-1], [MQTT-4.3.3-6])")
    void pubrelOnResumeWaitsForDurablePubrec(MqttVersion v) {
        AtomicReference<GatedStorage> gate = new AtomicReference<>();
        try (EmbeddedBroker b = gatedBroker(gate)) {
            String topic = "dur/pubrel-resume/" + v;
            String id = "dur-pubrel-resume-" + v;
            int packetId = pubrecHeldThenGone(b, gate.get(), v, id, topic);
            try (RawClient s = connect(b, persistent(v, id, false), true)) {
                s.expectNothingMore(); // the PUBREC is still not on disk
                gate.get().open();
                PubrelPacket rel = s.expect(PubrelPacket.class);
                assertThat(rel.packetId()).isEqualTo(packetId);
                s.send(new PubcompPacket(packetId));
                s.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Outbound QoS 2: a client that reconnects while the packet id of a PUBLISH not yet sent to it is "
            + "being stored gets that PUBLISH once the id is durable, under that id, and not before")
    void qos2PublishOnResumeWaitsForDurablePacketId(MqttVersion v) {
        AtomicReference<GatedStorage> gate = new AtomicReference<>();
        try (EmbeddedBroker b = gatedBroker(gate)) {
            String topic = "dur/publish-resume/" + v;
            String id = "dur-publish-resume-" + v;
            try (RawClient s = connect(b, persistent(v, id, false), false)) {
                subscribe(s, 1, topic, 2);
                disconnect(s);
            }
            try (RawClient pub = RawClient.connect(b.port(), v, id + "-pub")) {
                publish(pub, topic, 2, 1, "held"); // queued and stored for the offline subscriber
            }
            gate.get().holdAll();
            try (RawClient s = connect(b, persistent(v, id, false), true)) {
                // Resumed: the broker stores the packet id it chose before sending, and that write is held.
                s.expectNothingMore();
            }
            try (RawClient s = connect(b, persistent(v, id, false), true)) {
                s.expectNothingMore(); // reconnected: the id is still not on disk
                gate.get().open();
                PublishPacket p = expectPublish(s, topic, "held");
                assertThat(p.dup()).as("never sent before").isFalse();
                Conformance.ack(s, p);
                s.expectNothingMore();
            }
        }
    }

    @Test
    @DisplayName("Inbound QoS 2: a PUBLISH resent (the client reconnected) while the first copy's write is still on "
            + "its way gets PUBREC only once that write is durable ([MQTT-4.3.3-9]: PUBREC means stored)")
    void resentQos2PublishWaitsForTheFirstWrite() {
        AtomicReference<GatedStorage> gate = new AtomicReference<>();
        try (EmbeddedBroker b = gatedBroker(gate)) {
            MqttVersion v = MqttVersion.V5;
            String topic = "dur/resent-in2";
            try (RawClient s = connect(b, persistent(v, "dur-resent-sub", false), false)) {
                subscribe(s, 1, topic, 1);
                disconnect(s);
            }
            try (RawClient p = connect(b, persistent(v, "dur-resent-pub", false), false)) {
                gate.get().holdAll();
                p.send(publishPacket(topic, 2, false, 4, "m"));
                p.expectNothingMore(); // held: no PUBREC
            }
            try (RawClient p = connect(b, persistent(v, "dur-resent-pub", false), true)) {
                p.send(new PublishPacket(topic, 2, false, true, 4, Properties.EMPTY,
                        io.switchboard.codec.packet.Payload.utf8("m")));
                p.expectNothingMore(); // still held: PUBREC would promise what is not stored
                gate.get().open();
                assertThat(p.expect(PubrecPacket.class).packetId()).isEqualTo(4);
                p.send(new PubrelPacket(4));
                assertThat(p.expect(PubcompPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
            try (RawClient s = connect(b, persistent(v, "dur-resent-sub", false), true)) {
                receive(s, topic, "m");
                s.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Inbound QoS 2 across a restart: the packet id awaiting PUBREL is remembered, so a resent PUBLISH "
            + "is not delivered again and PUBREL gets PUBCOMP 0x00 ([MQTT-4.3.3-9], [MQTT-4.3.3-11]: exactly once)")
    void inboundQos2IdSurvivesRestart(MqttVersion v) {
        try (EmbeddedBroker b = durableBroker()) {
            String topic = "dur/in2/" + v;
            String subId = "dur-in2-sub-" + v;
            String pubId = "dur-in2-pub-" + v;
            try (RawClient s = connect(b, persistent(v, subId, false), false)) {
                subscribe(s, 1, topic, 2);
                disconnect(s);
            }
            try (RawClient p = connect(b, persistent(v, pubId, false), false)) {
                p.send(publishPacket(topic, 2, false, 9, "once"));
                assertThat(p.expect(PubrecPacket.class).reasonCode().value()).isLessThan(0x80);
            }
            b.restart();
            try (RawClient p = connect(b, persistent(v, pubId, false), true)) {
                // The client did not see PUBREC (as far as it knows): it sends the PUBLISH again, with DUP.
                p.send(new PublishPacket(topic, 2, false, true, 9, Properties.EMPTY,
                        io.switchboard.codec.packet.Payload.utf8("once")));
                assertThat(p.expect(PubrecPacket.class).packetId()).isEqualTo(9);
                p.send(new PubrelPacket(9));
                PubcompPacket comp = p.expect(PubcompPacket.class);
                assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }
            try (RawClient s = connect(b, persistent(v, subId, false), true)) {
                receive(s, topic, "once");
                s.expectNothingMore(); // exactly once
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Retained messages survive a restart; an empty retained message deleted one for good "
            + "([MQTT-3.3.1-5], [MQTT-3.3.1-6])")
    void retainedSurviveRestart(MqttVersion v) {
        try (EmbeddedBroker b = durableBroker()) {
            String topic = "dur/retained/" + v;
            try (RawClient p = RawClient.connect(b.port(), v, "dur-ret-pub-" + v)) {
                publish(p, publishPacket(topic + "/kept", 1, true, 1, "kept"));
                publish(p, publishPacket(topic + "/gone", 1, true, 2, "gone"));
                publish(p, publishPacket(topic + "/gone", 1, true, 3, ""));
            }
            b.restart();
            try (RawClient c = RawClient.connect(b.port(), v, "dur-ret-sub-" + v)) {
                subscribe(c, 1, topic + "/#", 1);
                PublishPacket p = receive(c, topic + "/kept", "kept");
                assertThat(p.retain()).isTrue();
                c.expectNothingMore();
            }
        }
    }

    @Test
    @DisplayName("sessions.maxQueuedMessages 2 with storage: the message dropped from the full queue is not stored "
            + "either; after a restart exactly the two that fit arrive, in order")
    void queueLimitHoldsAcrossRestart() {
        try (EmbeddedBroker b = new EmbeddedBroker(cfg -> cfg.withSessions(
                new io.switchboard.broker.config.SessionConfig(null, null, 2, null, null))).durable()) {
            b.start();
            MqttVersion v = MqttVersion.V5;
            try (RawClient c = connect(b, persistent(v, "dur-limit", false), false)) {
                subscribe(c, 1, "dur/limit", 1);
                disconnect(c);
            }
            try (RawClient p = RawClient.connect(b.port(), v, "dur-limit-pub")) {
                publish(p, "dur/limit", 1, 1, "1");
                publish(p, "dur/limit", 1, 2, "2");
                publish(p, "dur/limit", 1, 3, "3"); // dropped for this subscriber, counted
            }
            org.awaitility.Awaitility.await().untilAsserted(
                    () -> assertThat(b.broker().metrics().droppedQueueFull.sum()).isEqualTo(1));
            b.restart();
            try (RawClient c = connect(b, persistent(v, "dur-limit", false), true)) {
                receive(c, "dur/limit", "1");
                receive(c, "dur/limit", "2");
                c.expectNothingMore();
            }
        }
    }

    @Test
    @DisplayName("Expiry counts the downtime: a session whose expiry passed while the broker was down is gone "
            + "(Session Present 0), and so is a retained message whose Message Expiry passed ([MQTT-3.3.2-5])")
    void expiryCountsDowntime() {
        MovableClock clock = new MovableClock();
        try (EmbeddedBroker b = new EmbeddedBroker(cfg -> cfg, builder -> builder.clock(clock)).durable()) {
            b.start();
            MqttVersion v = MqttVersion.V5;
            try (RawClient c = connect(b, connectPacket(v, "dur-exp-short", true, 60L, 0, null), false)) {
                subscribe(c, 1, "dur/exp/#", 1);
                disconnect(c);
            }
            try (RawClient c = connect(b, connectPacket(v, "dur-exp-long", true, 3600L, 0, null), false)) {
                subscribe(c, 1, "dur/exp/#", 1);
                disconnect(c);
            }
            try (RawClient p = RawClient.connect(b.port(), v, "dur-exp-pub")) {
                publish(p, publishPacket("dur/exp/short", 1, true, 1,
                        Properties.builder().messageExpiryInterval(30L).build(), "short"));
                publish(p, publishPacket("dur/exp/long", 1, true, 2,
                        Properties.builder().messageExpiryInterval(3600L).build(), "long"));
            }
            b.close();
            clock.advance(Duration.ofSeconds(120)); // down for two minutes
            b.start();
            connect(b, connectPacket(v, "dur-exp-short", false, 60L, 0, null), false).close();
            try (RawClient c = connect(b, connectPacket(v, "dur-exp-long", false, 3600L, 0, null), true)) {
                // The queued copy of "short" expired too; "long" waits, its expiry reduced by the downtime.
                PublishPacket p = receive(c, "dur/exp/long", "long");
                assertThat(p.properties().messageExpiryInterval()).isBetween(3400L, 3480L);
                c.expectNothingMore();
            }
            try (RawClient c = RawClient.connect(b.port(), v, "dur-exp-retained")) {
                subscribe(c, 1, "dur/exp/#", 1);
                receive(c, "dur/exp/long", "long");
                c.expectNothingMore();
            }
        }
    }
}
