package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.ack;
import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.expectDisconnect;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.session.Session;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared Subscriptions {@code $share/{ShareName}/{filter}} (section 4.8.2), in 5.0 and, as brokers
 * commonly allow, in 3.1.1. The default strategy is round robin: each message to the next connected
 * member, in turn; a member that goes away hands its unacknowledged QoS 1 messages to another member.
 */
class SharedSubscriptionConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static String t(String name, MqttVersion v) {
        return "shared/" + name + "/" + v;
    }

    /** Receives {@code n} PUBLISHes, acknowledges QoS 1 and 2, and returns them in order. */
    static List<PublishPacket> receive(RawClient c, int n) {
        List<PublishPacket> got = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PublishPacket p = c.expect(PublishPacket.class);
            ack(c, p);
            got.add(p);
        }
        return got;
    }

    static List<String> payloads(List<PublishPacket> packets) {
        return packets.stream().map(p -> p.payload().toUtf8String()).toList();
    }

    /** Waits until the broker has seen the client's connection go (its session kept or ended). */
    private static void awaitOffline(EmbeddedBroker b, String clientId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Session s = b.broker().sessions().get(clientId);
            return s == null || !s.online();
        });
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Round robin (default): with two members online each message goes to one member, in turn, at that"
            + " member's granted QoS [MQTT-4.8.2-3]; none is lost or sent twice (section 4.8.2)")
    void roundRobinBetweenTwoMembers(MqttVersion v) {
        String base = t("rr", v);
        String filter = "$share/rr/" + base + "/#";
        try (RawClient a = RawClient.connect(broker.port(), v, "sh-rr-a-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-rr-b-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sh-rr-pub-" + v)) {
            subscribe(a, filter, 1);
            subscribe(b, filter, 0);
            List<String> all = IntStream.range(0, 10).mapToObj(i -> "m" + i).toList();
            for (int i = 0; i < all.size(); i++) {
                Conformance.publishQos1(pub, base + "/" + i, false, all.get(i));
            }
            List<PublishPacket> toA = receive(a, 5);
            List<PublishPacket> toB = receive(b, 5);
            a.expectNothingMore();
            b.expectNothingMore();
            assertThat(toA).extracting(PublishPacket::qos).containsOnly(1);
            assertThat(toB).extracting(PublishPacket::qos).containsOnly(0);
            List<String> even = IntStream.range(0, 5).mapToObj(i -> "m" + 2 * i).toList();
            List<String> odd = IntStream.range(0, 5).mapToObj(i -> "m" + (2 * i + 1)).toList();
            // In turn: one member has every even message, the other every odd one, each in order.
            assertThat(List.of(payloads(toA), payloads(toB))).containsExactlyInAnyOrder(even, odd);
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Two groups on the same topic each get every message once, shared among their members; an"
            + " ordinary subscription beside them gets every message (section 4.8.2)")
    void twoGroupsAndAnOrdinarySubscription(MqttVersion v) {
        String topic = t("groups", v) + "/x";
        try (RawClient a1 = RawClient.connect(broker.port(), v, "sh-gr-a1-" + v);
                RawClient a2 = RawClient.connect(broker.port(), v, "sh-gr-a2-" + v);
                RawClient b1 = RawClient.connect(broker.port(), v, "sh-gr-b1-" + v);
                RawClient b2 = RawClient.connect(broker.port(), v, "sh-gr-b2-" + v);
                RawClient plain = RawClient.connect(broker.port(), v, "sh-gr-o-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sh-gr-pub-" + v)) {
            subscribe(a1, "$share/one/" + topic, 1);
            subscribe(a2, "$share/one/" + topic, 1);
            subscribe(b1, "$share/two/" + t("groups", v) + "/+", 1);
            subscribe(b2, "$share/two/" + t("groups", v) + "/+", 1);
            subscribe(plain, topic, 1);
            List<String> all = IntStream.range(0, 6).mapToObj(i -> "m" + i).toList();
            for (String m : all) {
                Conformance.publishQos1(pub, topic, false, m);
            }
            assertThat(payloads(receive(plain, 6))).containsExactlyElementsOf(all);
            List<String> one = new ArrayList<>(payloads(receive(a1, 3)));
            one.addAll(payloads(receive(a2, 3)));
            List<String> two = new ArrayList<>(payloads(receive(b1, 3)));
            two.addAll(payloads(receive(b2, 3)));
            assertThat(one).containsExactlyInAnyOrderElementsOf(all);
            assertThat(two).containsExactlyInAnyOrderElementsOf(all);
            for (RawClient c : List.of(a1, a2, b1, b2, plain)) {
                c.expectNothingMore();
            }
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A client with a shared and a non-shared subscription matching a message gets a copy by each"
            + " (section 4.8.2); in 5.0 each carries its own Subscription Identifier [MQTT-3.3.4-3]")
    void sharedAndNonSharedSubscriptionOfOneClient(MqttVersion v) {
        String topic = t("both", v);
        try (RawClient c = RawClient.connect(broker.port(), v, "sh-both-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sh-both-pub-" + v)) {
            Properties id7 = v.isV5() ? Properties.builder().subscriptionIdentifier(7).build() : Properties.EMPTY;
            Properties id8 = v.isV5() ? Properties.builder().subscriptionIdentifier(8).build() : Properties.EMPTY;
            Conformance.subscribeForSuback(c, id7, new TopicSubscription(topic, 1));
            Conformance.subscribeForSuback(c, id8, new TopicSubscription("$share/solo/" + topic, 1));
            Conformance.publishQos1(pub, topic, false, "twice");
            List<PublishPacket> got = receive(c, 2);
            assertThat(payloads(got)).containsExactly("twice", "twice");
            if (v.isV5()) {
                assertThat(got).extracting(p -> p.properties().subscriptionIdentifiers())
                        .containsExactlyInAnyOrder(List.of(7), List.of(8));
            }
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82 [MQTT-3.8.3-4]")
    void noLocalOnSharedSubscription() {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "sh-nolocal")) {
            c.send(new SubscribePacket(Conformance.nextId(),
                    List.of(new TopicSubscription("$share/g/shared/nolocal", 1, true, false, 0)), Properties.EMPTY));
            expectDisconnect(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Invalid shared subscriptions get SUBACK 0x8F Topic Filter invalid (3.1.1: 0x80): an empty share"
            + " name [MQTT-4.8.2-1], a wildcard in it, no topic filter after it [MQTT-4.8.2-2]; the valid one in"
            + " the same SUBSCRIBE is granted [MQTT-3.8.4-6]; 5.0 UNSUBSCRIBE of one gets 0x8F")
    void invalidSharedSubscriptions(MqttVersion v) {
        try (RawClient c = RawClient.connect(broker.port(), v, "sh-invalid-" + v)) {
            SubackPacket ack = Conformance.subscribeForSuback(c, Properties.EMPTY,
                    new TopicSubscription("$share//shared/x", 1),
                    new TopicSubscription("$share/", 1),
                    new TopicSubscription("$share/+/shared/x", 1),
                    new TopicSubscription("$share/#/shared/x", 1),
                    new TopicSubscription("$share/g", 1),
                    new TopicSubscription("$share/g/", 1),
                    new TopicSubscription("$share/g/shared/ok", 1));
            int bad = v.isV5() ? 0x8F : 0x80;
            assertThat(ack.reasonCodes()).extracting(ReasonCode::value)
                    .containsExactly(bad, bad, bad, bad, bad, bad, 0x01);
            if (v.isV5()) {
                int id = Conformance.nextId();
                c.send(new UnsubscribePacket(id, List.of("$share//shared/x", "$share/g/shared/ok"), Properties.EMPTY));
                UnsubackPacket unsuback = c.expect(UnsubackPacket.class);
                assertThat(unsuback.packetId()).isEqualTo(id);
                assertThat(unsuback.reasonCodes()).containsExactly(ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.SUCCESS);
            }
            c.expectNothingMore();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("No retained message is sent for a new shared subscription (retained messages go to a new"
            + " non-shared subscription only: 3.3.1.3, 4.8.2); live messages are")
    void noRetainedMessagesForSharedSubscription(MqttVersion v) {
        String topic = t("retained", v);
        try (RawClient member = RawClient.connect(broker.port(), v, "sh-ret-m-" + v);
                RawClient plain = RawClient.connect(broker.port(), v, "sh-ret-o-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sh-ret-pub-" + v)) {
            Conformance.publishQos1(pub, topic, true, "kept");
            subscribe(member, "$share/ret/" + topic, 1);
            member.expectNothingMore();
            subscribe(plain, topic, 1); // the control: a non-shared subscription gets it
            assertThat(expectPublish(plain, topic, "kept").retain()).isTrue();
            Conformance.publishQos1(pub, topic, false, "live");
            ack(member, expectPublish(member, topic, "live"));
            member.expectNothingMore();
            Conformance.publishQos1(pub, topic, true, ""); // clean up the retained message
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("UNSUBSCRIBE from a shared subscription leaves the group [MQTT-3.10.4-1]: the other member gets"
            + " every message; once the group is empty, 5.0 PUBACK says 0x10 No matching subscribers")
    void unsubscribeLeavesTheGroup(MqttVersion v) {
        String topic = t("unsub", v);
        String filter = "$share/uns/" + topic;
        try (RawClient a = RawClient.connect(broker.port(), v, "sh-uns-a-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-uns-b-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "sh-uns-pub-" + v)) {
            subscribe(a, filter, 1);
            subscribe(b, filter, 1);
            unsubscribe(a, filter);
            for (int i = 0; i < 4; i++) {
                Conformance.publishQos1(pub, topic, false, "m" + i);
            }
            assertThat(payloads(receive(b, 4))).containsExactly("m0", "m1", "m2", "m3");
            a.expectNothingMore();
            unsubscribe(b, filter);
            PubackPacket puback = Conformance.publishQos1(pub, topic, false, "nobody");
            if (v.isV5()) {
                assertThat(puback.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
            }
            b.expectNothingMore();
        }
    }

    private static void unsubscribe(RawClient c, String filter) {
        int id = Conformance.nextId();
        c.send(new UnsubscribePacket(id, List.of(filter), Properties.EMPTY));
        UnsubackPacket ack = c.expect(UnsubackPacket.class);
        assertThat(ack.packetId()).isEqualTo(id);
        if (c.version().isV5()) {
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.SUCCESS);
        }
    }

    // ---- a member goes away ----

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 1 messages a member has not acknowledged go to another member when its connection is lost"
            + " (section 4.8.2 allows it at once); its resumed session does not get them again")
    void unacknowledgedQos1GoesToAnotherMemberWhenConnectionIsLost(MqttVersion v) {
        String topic = t("lost", v);
        String filter = "$share/lost/" + topic;
        String idA = "sh-lost-a-" + v;
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-lost-pub-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-lost-b-" + v)) {
            try (RawClient a = connect(broker, persistent(v, idA, false), false)) {
                subscribe(a, filter, 1);
                Conformance.publishQos1(pub, topic, false, "m1");
                Conformance.publishQos1(pub, topic, false, "m2");
                expectPublish(a, topic, "m1"); // not acknowledged
                expectPublish(a, topic, "m2");
                subscribe(b, filter, 1);
            } // closed without DISCONNECT
            assertThat(payloads(receive(b, 2))).containsExactlyInAnyOrder("m1", "m2");
            b.expectNothingMore();
            try (RawClient again = connect(broker, persistent(v, idA, false), true)) {
                again.expectNothingMore(); // nothing resent: the group delivered them once
            }
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 1 messages a member has not acknowledged go to another member when its session ends at"
            + " DISCONNECT (5.0 Session Expiry 0, 3.1.1 Clean Session 1) (section 4.8.2: SHOULD)")
    void unacknowledgedQos1GoesToAnotherMemberWhenSessionEnds(MqttVersion v) {
        String topic = t("ends", v);
        String filter = "$share/ends/" + topic;
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-ends-pub-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-ends-b-" + v);
                RawClient a = RawClient.connect(broker.port(), v, "sh-ends-a-" + v)) {
            subscribe(a, filter, 1);
            Conformance.publishQos1(pub, topic, false, "m1");
            expectPublish(a, topic, "m1"); // not acknowledged
            subscribe(b, filter, 1);
            Conformance.disconnect(a);
            assertThat(payloads(receive(b, 1))).containsExactly("m1");
            b.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: messages for a group whose only member is offline wait in its session; when that session"
            + " expires they go to a member that joined since (section 4.8.2)")
    void heldMessagesGoToAnotherMemberWhenSessionExpires() {
        MqttVersion v = MqttVersion.V5;
        String topic = t("expires", v);
        String filter = "$share/exp/" + topic;
        String idA = "sh-exp-a";
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-exp-pub");
                RawClient b = RawClient.connect(broker.port(), v, "sh-exp-b")) {
            // Session Expiry 2 s: long enough for the second member to join before the session ends.
            try (RawClient a = connect(broker, Conformance.connectPacket(v, idA, true, 2L, 0, null), false)) {
                subscribe(a, filter, 1);
                Conformance.publishQos1(pub, topic, false, "in flight");
                expectPublish(a, topic, "in flight"); // not acknowledged
            }
            awaitOffline(broker, idA);
            // No other member: the in-flight message stays, and the next one waits in the member's session.
            assertThat(Conformance.publishQos1(pub, topic, false, "queued").reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            subscribe(b, filter, 1);
            b.expectNothingMore();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(idA) == null);
            assertThat(payloads(receive(b, 2))).containsExactlyInAnyOrder("in flight", "queued");
            b.expectNothingMore();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A member that comes back with Clean Start 1 (3.1.1 Clean Session 1) ends its old session: the"
            + " QoS 1 messages it held for the group go to another member (section 4.8.2: SHOULD)")
    void heldMessagesGoToAnotherMemberWhenCleanStartEndsTheSession(MqttVersion v) {
        String topic = t("clean", v);
        String filter = "$share/clean/" + topic;
        String idA = "sh-clean-a-" + v;
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-clean-pub-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-clean-b-" + v)) {
            try (RawClient a = connect(broker, persistent(v, idA, false), false)) {
                subscribe(a, filter, 1);
                Conformance.publishQos1(pub, topic, false, "held");
                expectPublish(a, topic, "held"); // not acknowledged
            }
            awaitOffline(broker, idA); // no other member yet: the message stays with the session
            subscribe(b, filter, 1);
            b.expectNothingMore();
            try (RawClient again = connect(broker, persistent(v, idA, true), false)) {
                assertThat(payloads(receive(b, 1))).containsExactly("held");
                again.expectNothingMore();
            }
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A QoS 2 message in flight to a member whose connection is lost stays with that member and is"
            + " completed when it reconnects [MQTT-4.8.2-4]; no other member gets it")
    void qos2InFlightStaysWithItsMember(MqttVersion v) {
        String topic = t("qos2", v);
        String filter = "$share/q2/" + topic;
        String idA = "sh-q2-a-" + v;
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-q2-pub-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-q2-b-" + v)) {
            PublishPacket first;
            try (RawClient a = connect(broker, persistent(v, idA, false), false)) {
                subscribe(a, filter, 2);
                Conformance.publish(pub, topic, 2, Conformance.nextId(), "exactly once");
                first = expectPublish(a, topic, "exactly once"); // no PUBREC
                assertThat(first.qos()).isEqualTo(2);
                subscribe(b, filter, 2);
            }
            awaitOffline(broker, idA);
            try (RawClient again = connect(broker, persistent(v, idA, false), true)) {
                PublishPacket resent = expectPublish(again, topic, "exactly once");
                assertThat(resent.dup()).isTrue(); // [MQTT-3.3.1-1]
                assertThat(resent.packetId()).isEqualTo(first.packetId());
                ack(again, resent);
                again.expectNothingMore();
            }
            b.expectNothingMore();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("A QoS 2 message in flight to a member whose session ends is not sent to any other member"
            + " [MQTT-4.8.2-5]; the group goes on with the next message")
    void qos2InFlightIsNotSentToAnotherMemberWhenSessionEnds(MqttVersion v) {
        String topic = t("qos2-ends", v);
        String filter = "$share/q2e/" + topic;
        String idA = "sh-q2e-a-" + v;
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-q2e-pub-" + v);
                RawClient b = RawClient.connect(broker.port(), v, "sh-q2e-b-" + v)) {
            try (RawClient a = RawClient.connect(broker.port(), v, idA)) { // the session ends with the connection
                subscribe(a, filter, 2);
                Conformance.publish(pub, topic, 2, Conformance.nextId(), "m1");
                expectPublish(a, topic, "m1"); // no PUBREC
                subscribe(b, filter, 2);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(idA) == null);
            b.expectNothingMore();
            Conformance.publish(pub, topic, 2, Conformance.nextId(), "m2");
            ack(b, expectPublish(b, topic, "m2"));
            b.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0: a message a member refuses with PUBACK 0x80 or above is discarded, never sent to another"
            + " member [MQTT-4.8.2-6]")
    void refusedMessageIsNotSentToAnotherMember() {
        MqttVersion v = MqttVersion.V5;
        String topic = t("refused", v);
        String filter = "$share/ref/" + topic;
        String idA = "sh-ref-a";
        try (RawClient pub = RawClient.connect(broker.port(), v, "sh-ref-pub");
                RawClient b = RawClient.connect(broker.port(), v, "sh-ref-b")) {
            try (RawClient a = RawClient.connect(broker.port(), v, idA)) {
                subscribe(a, filter, 1);
                Conformance.publishQos1(pub, topic, false, "refused");
                PublishPacket p = expectPublish(a, topic, "refused");
                a.send(new PubackPacket(p.packetId(), ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));
                a.expectNothingMore();
                subscribe(b, filter, 1);
                Conformance.disconnect(a);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(idA) == null);
            b.expectNothingMore();
        }
    }

    /** A broker whose groups prefer the member with the fewest unacknowledged messages. */
    @Nested
    class LeastUnacknowledged {
        @RegisterExtension
        static EmbeddedBroker lu = Conformance.brokerWith("sharedSubscriptionStrategy: least-unacknowledged");

        @ParameterizedTest(name = "MQTT {0}")
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("mqtt.sharedSubscriptionStrategy least-unacknowledged: each message goes to the connected member"
                + " with the fewest unacknowledged QoS 1/2 messages (the choice is the server's, section 4.8.2)")
        void prefersTheMemberWithFewerUnacknowledged(MqttVersion v) {
            String base = "shared/lu/" + v;
            String filter = "$share/lu/" + base + "/work";
            try (RawClient busy = RawClient.connect(lu.port(), v, "sh-lu-busy-" + v);
                    RawClient idle = RawClient.connect(lu.port(), v, "sh-lu-idle-" + v);
                    RawClient pub = RawClient.connect(lu.port(), v, "sh-lu-pub-" + v)) {
                // The busy member holds two unacknowledged messages of a non-shared subscription.
                subscribe(busy, base + "/hold", 1);
                Conformance.publishQos1(pub, base + "/hold", false, "h1");
                Conformance.publishQos1(pub, base + "/hold", false, "h2");
                PublishPacket h1 = expectPublish(busy, base + "/hold", "h1");
                PublishPacket h2 = expectPublish(busy, base + "/hold", "h2");
                subscribe(busy, filter, 1);
                subscribe(idle, filter, 1);
                for (int i = 0; i < 4; i++) {
                    Conformance.publishQos1(pub, base + "/work", false, "w" + i);
                    ack(idle, expectPublish(idle, base + "/work", "w" + i));
                    idle.expectNothingMore(); // its PUBACK is processed before the next message is routed
                }
                // The idle member keeps the next one unacknowledged (1); the busy one acknowledges both (0).
                Conformance.publishQos1(pub, base + "/work", false, "w4");
                expectPublish(idle, base + "/work", "w4");
                busy.expectNothingMore();
                busy.send(new PubackPacket(h1.packetId()));
                busy.send(new PubackPacket(h2.packetId()));
                busy.expectNothingMore();
                Conformance.publishQos1(pub, base + "/work", false, "w5");
                ack(busy, expectPublish(busy, base + "/work", "w5"));
                busy.expectNothingMore();
                idle.expectNothingMore();
            }
        }
    }
}
