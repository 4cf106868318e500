package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connectCleanWithAck;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.nextId;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static io.switchboard.conformance.Conformance.subscribeForSuback;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.broker.config.SecurityConfig;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Authorization: what a PUBLISH, a SUBSCRIBE filter and each delivery are allowed to do, decided by
 * an {@link Authorizer}, at once or later on another thread. The reason codes are those of sections
 * 3.4.2.1 (PUBACK), 3.5.2.1 (PUBREC) and 3.9.3 (SUBACK); 3.1.1 has no "not authorized" for a PUBLISH,
 * so there the message is acknowledged and dropped.
 *
 * <p>The test authorizer's rules go by topic: a level {@code deny} is refused (for subscribing,
 * {@code nosub} too), a level {@code held} waits for the test to decide; deliveries are refused for the (client id, topic) pairs the test
 * revokes.
 */
class AuthorizationConformanceTest {
    static final ExecutorService DECIDER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-authorizer");
        t.setDaemon(true);
        return t;
    });
    static final TopicRules AUTHORIZER = new TopicRules();

    /** With {@code security.deniedPublishV311: drop}: a denied 3.1.1 PUBLISH is acknowledged and dropped. */
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c.withSecurity(new SecurityConfig(null, null, "drop", null)),
            b -> b.authorizer(AUTHORIZER));

    /** The default, {@code security.deniedPublishV311: disconnect}. */
    @RegisterExtension
    static EmbeddedBroker disconnecting = new EmbeddedBroker(c -> c, b -> b.authorizer(AUTHORIZER));

    @AfterAll
    static void stopDecider() {
        DECIDER.shutdownNow();
    }

    /** A decision the test holds: what was asked, and the stage it completes (on {@link #DECIDER}). */
    record Held(ClientIdentity client, String topicOrFilter, CompletableFuture<Boolean> decision) {
        void decide(boolean allowed) {
            DECIDER.execute(() -> decision.complete(allowed));
        }
    }

    static final class TopicRules implements Authorizer {
        final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
        /** "clientId topic" pairs a subscriber may no longer receive. */
        final Set<String> revoked = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<ClientIdentity> publishers = new ConcurrentLinkedQueue<>();

        private CompletionStage<Boolean> decide(ClientIdentity client, String topic, String denyLevel) {
            List<String> levels = List.of(topic.split("/", -1));
            if (levels.contains("deny") || levels.contains(denyLevel)) {
                return DENIED;
            }
            if (levels.contains("held")) {
                CompletableFuture<Boolean> f = new CompletableFuture<>();
                held.add(new Held(client, topic, f));
                return f;
            }
            return ALLOWED;
        }

        @Override
        public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain) {
            publishers.add(client);
            return decide(client, topic, "deny");
        }

        @Override
        public CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos) {
            return decide(client, filter, "nosub");
        }

        @Override
        public boolean mayReceive(ClientIdentity subscriber, String topic) {
            return !revoked.contains(subscriber.clientId() + " " + topic);
        }

        /** Waits until the broker asks about this topic or filter, and takes that decision. */
        Held next(String topicOrFilter) {
            Held[] found = new Held[1];
            await().atMost(RawClient.TIMEOUT).until(() -> {
                for (Held h : held) {
                    if (h.topicOrFilter().equals(topicOrFilter) && held.remove(h)) {
                        found[0] = h;
                        return true;
                    }
                }
                return false;
            });
            return found[0];
        }
    }

    static RawClient connect(MqttVersion v, String id) {
        return connectCleanWithAck(broker.port(), v, id, Properties.EMPTY).client();
    }

    // ---- PUBLISH ------------------------------------------------------------------------------

    static Stream<Arguments> versionsAndQos() {
        return Stream.of(MqttVersion.V3_1_1, MqttVersion.V5).flatMap(v -> Stream.of(0, 1, 2).map(q -> Arguments.of(v, q)));
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @MethodSource("versionsAndQos")
    @DisplayName("a PUBLISH the authorizer denies is not delivered: 5.0 PUBACK/PUBREC 0x87 (3.4.2.1, 3.5.2.1), "
            + "3.1.1 (security.deniedPublishV311: drop) acknowledged as usual; counted")
    void deniedPublish(MqttVersion v, int qos) {
        String base = "az/pub/" + v + "/" + qos;
        try (RawClient watcher = connect(v, "az-pub-watch-" + v + qos); RawClient c = connect(v, "az-pub-" + v + qos)) {
            subscribe(watcher, base + "/#", 2);
            long denied = broker.broker().metrics().publishDenied.sum();
            int id = qos == 0 ? 0 : nextId();
            c.send(publishPacket(base + "/deny", qos, false, id, "secret"));
            if (qos == 1) {
                PubackPacket ack = c.expect(PubackPacket.class);
                assertThat(ack.packetId()).isEqualTo(id);
                assertThat(ack.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS);
                if (v.isV5()) {
                    assertThat(ack.properties().reasonString()).contains("not authorized");
                }
            } else if (qos == 2) {
                PubrecPacket rec = c.expect(PubrecPacket.class);
                assertThat(rec.packetId()).isEqualTo(id);
                if (v.isV5()) {
                    // An error PUBREC ends the exchange (section 4.3.3): no PUBREL.
                    assertThat(rec.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
                } else {
                    c.send(new PubrelPacket(id));
                    assertThat(c.expect(PubcompPacket.class).packetId()).isEqualTo(id);
                }
            }
            c.expectNothingMore();
            publish(c, base + "/ok", 1, nextId(), "marker");
            receive(watcher, base + "/ok", "marker"); // the denied message would have come first
            watcher.expectNothingMore();
            assertThat(broker.broker().metrics().publishDenied.sum()).isEqualTo(denied + 1);
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("by default a PUBLISH the authorizer denies disconnects a 3.1.1 client (it has no code to be told "
            + "with, as AWS IoT does); not delivered; counted and audited")
    void deniedPublishDisconnects311(int qos) {
        String base = "az/cut/" + qos;
        MqttVersion v = MqttVersion.V3_1_1;
        try (RawClient watcher = RawClient.connect(disconnecting.port(), v, "az-cut-watch-" + qos);
                RawClient c = RawClient.connect(disconnecting.port(), v, "az-cut-" + qos)) {
            subscribe(watcher, base + "/#", 2);
            long denied = disconnecting.broker().metrics().publishDenied.sum();
            c.send(publishPacket(base + "/deny", qos, false, qos == 0 ? 0 : nextId(), "secret"));
            Conformance.expectClosedWithoutPacket(c);
            try (RawClient other = RawClient.connect(disconnecting.port(), v, "az-cut-other-" + qos)) {
                publish(other, base + "/ok", 1, nextId(), "marker");
            }
            receive(watcher, base + "/ok", "marker"); // the denied message would have come first
            assertThat(disconnecting.broker().metrics().publishDenied.sum()).isEqualTo(denied + 1);
            assertThat(disconnecting.broker().metrics().denials())
                    .containsKey(new BrokerMetrics.Denial("publish", 0x87));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a PUBLISH to $SYS/ from a client is refused like a denied one: 5.0 PUBACK 0x87, 3.1.1 dropped")
    void sysTopicDenied(MqttVersion v) {
        try (RawClient watcher = connect(v, "az-sys-watch-" + v); RawClient c = connect(v, "az-sys-" + v)) {
            subscribe(watcher, "$SYS/az/" + v, 1);
            PubackPacket ack = Conformance.publishQos1(c, "$SYS/az/" + v, false, "spoofed");
            assertThat(ack.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS);
            watcher.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a publish decision taken later keeps the order: 1 waits for the authorizer, 2 is allowed at once, "
            + "both are delivered and acknowledged in the order 1, 2 (across topics: more than [MQTT-4.6.0-5] "
            + "[MQTT-4.6.0-6] ask, per topic)")
    void heldPublishKeepsOrder(MqttVersion v) {
        String base = "az/order/" + v;
        try (RawClient watcher = connect(v, "az-order-watch-" + v); RawClient c = connect(v, "az-order-" + v)) {
            subscribe(watcher, base + "/#", 1);
            c.send(publishPacket(base + "/held", 1, false, 11, "1"));
            Held first = AUTHORIZER.next(base + "/held");
            c.send(publishPacket(base + "/fast", 1, false, 12, "2"));
            first.decide(true);
            assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(11);
            assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(12);
            receive(watcher, base + "/held", "1");
            receive(watcher, base + "/fast", "2");
            c.expectNothingMore();
            watcher.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a publish denied later: 5.0 PUBACK 0x87, and the PUBLISH after it still comes after it")
    void heldPublishDenied(MqttVersion v) {
        String base = "az/later/" + v;
        try (RawClient watcher = connect(v, "az-later-watch-" + v); RawClient c = connect(v, "az-later-" + v)) {
            subscribe(watcher, base + "/#", 1);
            c.send(publishPacket(base + "/held", 1, false, 21, "1"));
            Held first = AUTHORIZER.next(base + "/held");
            c.send(publishPacket(base + "/fast", 1, false, 22, "2"));
            first.decide(false);
            PubackPacket ack1 = c.expect(PubackPacket.class);
            assertThat(ack1.packetId()).isEqualTo(21);
            assertThat(ack1.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS);
            assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(22);
            receive(watcher, base + "/fast", "2");
            watcher.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the authorizer sees who publishes: client id, user name as the authentication name, listener")
    void authorizerSeesTheIdentity(MqttVersion v) {
        String id = "az-who-" + v;
        ConnectPacket p = new ConnectPacket(v, true, 0, id, null, "carol", "pw".getBytes(StandardCharsets.UTF_8),
                Properties.EMPTY);
        try (RawClient c = RawClient.connect(broker.port(), p)) {
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            AUTHORIZER.publishers.clear();
            Conformance.publishQos1(c, "az/who/" + v, false, "x");
            assertThat(AUTHORIZER.publishers).containsExactly(new ClientIdentity(id, "carol", "default", Map.of()));
        }
    }

    // ---- SUBSCRIBE ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a denied filter gets SUBACK 0x87 (3.1.1: 0x80) while the other filters of the SUBSCRIBE are granted "
            + "[MQTT-3.8.4-6] [MQTT-3.9.3-1]")
    void deniedSubscribeFilter(MqttVersion v) {
        String base = "az/sub/" + v;
        try (RawClient c = connect(v, "az-sub-" + v); RawClient pub = connect(v, "az-sub-pub-" + v)) {
            SubackPacket ack = subscribeForSuback(c, Properties.EMPTY, new TopicSubscription(base + "/a", 1),
                    new TopicSubscription(base + "/nosub/#", 1), new TopicSubscription(base + "/b", 2));
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1,
                    v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR, // 3.1.1: Failure 0x80
                    ReasonCode.GRANTED_QOS_2);
            publish(pub, base + "/nosub/x", 1, nextId(), "no");
            publish(pub, base + "/a", 1, nextId(), "yes");
            receive(c, base + "/a", "yes");
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a subscribe decision taken later: the PUBLISH sent after the SUBSCRIBE waits, then finds the "
            + "subscription in force (section 4.6)")
    void heldSubscribe(MqttVersion v) {
        String filter = "az/hsub/" + v + "/held/#";
        String topic = "az/hsub/" + v + "/held/x";
        try (RawClient c = connect(v, "az-hsub-" + v)) {
            c.send(new SubscribePacket(31, List.of(new TopicSubscription(filter, 1)), Properties.EMPTY));
            Held h = AUTHORIZER.next(filter);
            assertThat(h.client().clientId()).isEqualTo("az-hsub-" + v);
            c.send(publishPacket("az/hsub/" + v + "/other", 1, false, 32, "m"));
            h.decide(true);
            SubackPacket ack = c.expect(SubackPacket.class);
            assertThat(ack.packetId()).isEqualTo(31);
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);
            assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(32);
            // The subscription is in force for what follows; the held PUBLISH (on 'held/x') is checked too.
            AUTHORIZER.held.clear();
            c.send(publishPacket(topic, 1, false, 33, "to self"));
            AUTHORIZER.next(topic).decide(true);
            PubackPacket ack3 = c.expect(PubackPacket.class);
            assertThat(ack3.packetId()).isEqualTo(33);
            assertThat(ack3.reasonCode()).isEqualTo(ReasonCode.SUCCESS); // not 0x10: there is a subscriber
            receive(c, topic, "to self");
            c.expectNothingMore();
        }
    }

    // ---- each delivery ------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("rights taken away take effect at once: mayReceive false stops deliveries to an existing "
            + "subscription, counted as droppedNotAuthorized")
    void revokedReceive(MqttVersion v) {
        String base = "az/rev/" + v;
        String subscriber = "az-rev-" + v;
        try (RawClient c = connect(v, subscriber); RawClient pub = connect(v, "az-rev-pub-" + v)) {
            subscribe(c, base + "/#", 1);
            publish(pub, base + "/secret", 1, nextId(), "before");
            receive(c, base + "/secret", "before");
            long dropped = broker.broker().metrics().droppedNotAuthorized.sum();
            AUTHORIZER.revoked.add(subscriber + " " + base + "/secret");
            publish(pub, base + "/secret", 1, nextId(), "after");
            publish(pub, base + "/open", 1, nextId(), "open");
            receive(c, base + "/open", "open"); // "after" would have come first
            c.expectNothingMore();
            assertThat(broker.broker().metrics().droppedNotAuthorized.sum()).isEqualTo(dropped + 1);
            // Retained messages sent at SUBSCRIBE go through the same check.
            publish(pub, new PublishPacket(base + "/secret", 1, true, false, nextId(),
                    Properties.EMPTY, Payload.utf8("retained")));
            publish(pub, new PublishPacket(base + "/open", 1, true, false, nextId(),
                    Properties.EMPTY, Payload.utf8("retained open")));
            receive(c, base + "/open", "retained open");
            try (RawClient late = connect(v, subscriber + "-late")) {
                AUTHORIZER.revoked.add(subscriber + "-late " + base + "/secret");
                subscribe(late, base + "/#", 1);
                PublishPacket only = expectPublish(late, base + "/open", "retained open");
                assertThat(only.retain()).isTrue();
                Conformance.ack(late, only);
                late.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("messages queued for an offline session while allowed are not delivered once the right is taken"
            + " away before the client comes back; counted as droppedNotAuthorized")
    void revokedWhileQueued(MqttVersion v) {
        String base = "az/queued/" + v;
        String subscriber = "az-queued-" + v;
        try (RawClient pub = connect(v, "az-queued-pub-" + v)) {
            RawClient c = Conformance.connect(broker, Conformance.persistent(v, subscriber, false), false);
            subscribe(c, base + "/#", 1);
            Conformance.disconnect(c);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !broker.broker().sessions().get(subscriber).online());
            publish(pub, base + "/secret", 1, nextId(), "queued secret");
            publish(pub, base + "/open", 1, nextId(), "queued open");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().sessions().get(subscriber).queuedCount() == 2);
            long dropped = broker.broker().metrics().droppedNotAuthorized.sum();
            AUTHORIZER.revoked.add(subscriber + " " + base + "/secret");
            try (RawClient back = Conformance.connect(broker, Conformance.persistent(v, subscriber, false), true)) {
                receive(back, base + "/open", "queued open");
                back.expectNothingMore();
            }
            assertThat(broker.broker().metrics().droppedNotAuthorized.sum()).isEqualTo(dropped + 1);
        }
    }

    // ---- Will ---------------------------------------------------------------------------------

    static RawClient connectWithWill(MqttVersion v, String id, String willTopic) {
        ConnectPacket p = new ConnectPacket(v, true, 0, id, new Will(willTopic, Payload.utf8("will of " + id), 1, false,
                Properties.EMPTY), null, null, Properties.EMPTY);
        RawClient c = RawClient.connect(broker.port(), p);
        assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        return c;
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a Will is authorized when it is published, like a PUBLISH of its client: denied, it is not "
            + "published and is counted ([MQTT-3.1.2-8] names when it goes, the authorizer whether)")
    void willDenied(MqttVersion v) {
        String base = "az/will/" + v;
        try (RawClient watcher = connect(v, "az-will-watch-" + v)) {
            subscribe(watcher, base + "/#", 1);
            long denied = broker.broker().metrics().publishDenied.sum();
            connectWithWill(v, "az-will-denied-" + v, base + "/deny").close(); // lost: the Will is due
            await().atMost(RawClient.TIMEOUT).until(() -> broker.broker().metrics().publishDenied.sum() == denied + 1);
            connectWithWill(v, "az-will-ok-" + v, base + "/ok").close();
            receive(watcher, base + "/ok", "will of az-will-ok-" + v);
            watcher.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a Will to $SYS/ is never published: those topics are the broker's")
    void willToSysDenied(MqttVersion v) {
        try (RawClient watcher = connect(v, "az-will-sys-watch-" + v)) {
            subscribe(watcher, "$SYS/az/#", 1);
            long denied = broker.broker().metrics().publishDenied.sum();
            connectWithWill(v, "az-will-sys-" + v, "$SYS/az/" + v).close();
            await().atMost(RawClient.TIMEOUT).until(() -> broker.broker().metrics().publishDenied.sum() == denied + 1);
            watcher.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a Will whose authorization is decided later is published once allowed, for the client that set it")
    void willDecidedLater(MqttVersion v) {
        String topic = "az/will/" + v + "/held";
        String id = "az-will-held-" + v;
        try (RawClient watcher = connect(v, "az-will-held-watch-" + v)) {
            subscribe(watcher, "az/will/" + v + "/+", 1); // a filter with a level 'held' would wait itself
            connectWithWill(v, id, topic).close();
            Held h = AUTHORIZER.next(topic);
            assertThat(h.client().clientId()).isEqualTo(id);
            h.decide(true);
            receive(watcher, topic, "will of " + id);
            watcher.expectNothingMore();
        }
    }
}
