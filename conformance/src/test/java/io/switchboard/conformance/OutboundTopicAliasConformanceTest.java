package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Topic aliases from the broker to a 5.0 client (section 3.3.2.3.4): only when the client allows
 * them, never above its Topic Alias Maximum nor {@code mqtt.outboundTopicAliasMaximum}; the
 * documented policy is least recently used, and topics shorter than 4 characters get none.
 */
class OutboundTopicAliasConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static Properties topicAliasMaximum(Integer max) {
        return Properties.builder().topicAliasMaximum(max).build();
    }

    /** A client's side of the broker's aliases, kept as section 3.3.2.3.4 says a receiver keeps them. */
    private static final class ClientAliases {
        final int maximum;
        final Map<Integer, String> byAlias = new HashMap<>();

        ClientAliases(int maximum) {
            this.maximum = maximum;
        }

        /** The topic name of a received PUBLISH; fails on an alias above the maximum or never taught. */
        String resolve(PublishPacket p) {
            Integer alias = p.properties().topicAlias();
            if (alias == null) {
                assertThat(p.topic()).as("a PUBLISH without alias has a topic name").isNotEmpty();
                return p.topic();
            }
            assertThat(alias).as("[MQTT-3.3.2-11] alias of %s", p).isBetween(1, maximum);
            if (!p.topic().isEmpty()) {
                byAlias.put(alias, p.topic());
                return p.topic();
            }
            assertThat(byAlias).as("alias %d used before it was set", alias).containsKey(alias);
            return byAlias.get(alias);
        }
    }

    private static void assertPublish(PublishPacket p, String topic, Integer alias, String payload) {
        assertThat(p.topic()).as("topic name of %s", p).isEqualTo(topic);
        assertThat(p.properties().topicAlias()).as("Topic Alias of %s", p).isEqualTo(alias);
        assertThat(p.payload().toUtf8String()).isEqualTo(payload);
    }

    @Test
    @DisplayName("Topic Alias Maximum 2 in CONNECT: the first PUBLISH of a topic carries the topic name and alias 1,"
            + " the next ones alias 1 and an empty topic name (3.3.2.3.4) [MQTT-3.1.2-26]")
    void aliasSetThenUsed() {
        String topic = "aliases/set/one";
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "ota-set", topicAliasMaximum(2));
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-set-pub")) {
            subscribe(sub, "aliases/set/#", 0);
            for (String m : List.of("1", "2", "3")) {
                Conformance.publishQos1(pub, topic, false, m);
            }
            assertPublish(sub.expect(PublishPacket.class), topic, 1, "1");
            assertPublish(sub.expect(PublishPacket.class), "", 1, "2");
            assertPublish(sub.expect(PublishPacket.class), "", 1, "3");
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("More topics than the client's Topic Alias Maximum 2: never an alias above 2 [MQTT-3.1.2-26]"
            + " [MQTT-3.3.2-11]; the least recently used alias is mapped again, sent with its new topic name")
    void leastRecentlyUsedAliasIsRemapped() {
        String a = "aliases/lru/a";
        String b = "aliases/lru/b";
        String c = "aliases/lru/c";
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "ota-lru", topicAliasMaximum(2));
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-lru-pub")) {
            subscribe(sub, "aliases/lru/#", 0);
            List<String> sequence = List.of(a, b, a, c, a, b, c);
            for (int i = 0; i < sequence.size(); i++) {
                Conformance.publishQos1(pub, sequence.get(i), false, "m" + i);
            }
            assertPublish(sub.expect(PublishPacket.class), a, 1, "m0");
            assertPublish(sub.expect(PublishPacket.class), b, 2, "m1");
            assertPublish(sub.expect(PublishPacket.class), "", 1, "m2"); // a
            assertPublish(sub.expect(PublishPacket.class), c, 2, "m3"); // b was used least recently
            assertPublish(sub.expect(PublishPacket.class), "", 1, "m4"); // a
            assertPublish(sub.expect(PublishPacket.class), b, 2, "m5"); // c was used least recently
            assertPublish(sub.expect(PublishPacket.class), c, 1, "m6"); // a was used least recently
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("Many topics in a random order: a client following the aliases resolves every topic name right"
            + " and never sees an alias above its maximum or one it was not taught (3.3.2.3.4) [MQTT-3.3.2-11]")
    void aClientFollowingTheAliasesResolvesEveryTopic() {
        int max = 3;
        Random random = new Random(7);
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "ota-model",
                topicAliasMaximum(max));
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-model-pub")) {
            subscribe(sub, "aliases/model/#", 0);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String topic = "aliases/model/" + random.nextInt(2 * max);
                sent.add(topic);
                Conformance.publishQos1(pub, topic, false, "m" + i);
            }
            ClientAliases aliases = new ClientAliases(max);
            List<String> resolved = new ArrayList<>();
            int aliasOnly = 0;
            for (int i = 0; i < sent.size(); i++) {
                PublishPacket p = sub.expect(PublishPacket.class);
                assertThat(p.payload().toUtf8String()).isEqualTo("m" + i);
                resolved.add(aliases.resolve(p));
                aliasOnly += p.topic().isEmpty() ? 1 : 0;
            }
            assertThat(resolved).containsExactlyElementsOf(sent);
            assertThat(aliasOnly).as("repeated topics saved bytes").isPositive();
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest(name = "Topic Alias Maximum {0}")
    @NullSource
    @ValueSource(ints = 0)
    @DisplayName("A client that sent no Topic Alias Maximum, or 0, never gets a Topic Alias [MQTT-3.1.2-27]")
    void noAliasWhenTheClientAllowsNone(Integer max) {
        String topic = "aliases/none/" + max;
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "ota-none-" + max,
                topicAliasMaximum(max));
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-none-pub-" + max)) {
            subscribe(sub, topic, 0);
            Conformance.publishQos1(pub, topic, false, "1");
            Conformance.publishQos1(pub, topic, false, "2");
            assertPublish(sub.expect(PublishPacket.class), topic, null, "1");
            assertPublish(sub.expect(PublishPacket.class), topic, null, "2");
            sub.expectNothingMore();
        }
    }

    @Test
    @DisplayName("Topics shorter than 4 characters are sent as they are, without an alias (the documented policy:"
            + " an alias would save nothing)")
    void shortTopicsGetNoAlias() {
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "ota-short", topicAliasMaximum(2));
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-short-pub")) {
            subscribe(sub, "s/t", 0);
            Conformance.publishQos1(pub, "s/t", false, "1");
            Conformance.publishQos1(pub, "s/t", false, "2");
            assertPublish(sub.expect(PublishPacket.class), "s/t", null, "1");
            assertPublish(sub.expect(PublishPacket.class), "s/t", null, "2");
        }
    }

    @Test
    @DisplayName("Aliases last for one network connection [MQTT-3.3.2-7]: on a resumed session the first PUBLISH of"
            + " a topic carries its name again")
    void aliasesDoNotCarryOverToANewConnection() {
        String topic = "aliases/reconnect";
        String id = "ota-reconnect";
        Properties props = Properties.builder().topicAliasMaximum(2).sessionExpiryInterval(300L).build();
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-reconnect-pub")) {
            try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, id, props)) {
                subscribe(sub, topic, 1);
                Conformance.publishQos1(pub, topic, false, "1");
                Conformance.publishQos1(pub, topic, false, "2");
                Conformance.receive(sub, topic, "1");
                PublishPacket second = sub.expect(PublishPacket.class);
                assertPublish(second, "", 1, "2");
                sub.send(new PubackPacket(second.packetId()));
                Conformance.disconnect(sub);
            }
            Conformance.publishQos1(pub, topic, false, "3"); // queued while the client is away
            try (RawClient sub = RawClient.connect(broker.port(), new ConnectPacket(
                    MqttVersion.V5, false, 0, id, null, null, null, props))) {
                assertThat(sub.expect(ConnackPacket.class).sessionPresent()).isTrue();
                PublishPacket third = sub.expect(PublishPacket.class);
                assertPublish(third, topic, 1, "3");
                sub.send(new PubackPacket(third.packetId()));
                Conformance.publishQos1(pub, topic, false, "4");
                PublishPacket fourth = sub.expect(PublishPacket.class);
                assertPublish(fourth, "", 1, "4");
                sub.send(new PubackPacket(fourth.packetId()));
                sub.expectNothingMore();
            }
        }
    }

    @Test
    @DisplayName("A PUBLISH too large for the client is not sent [MQTT-3.1.2-25] and so teaches no alias: the next"
            + " PUBLISH of that topic carries its name")
    void aPublishNotSentTeachesNoAlias() {
        String topic = "aliases/too-large";
        Properties props = Properties.builder().topicAliasMaximum(2).maximumPacketSize(128L).build();
        try (RawClient sub = Conformance.connectClean(broker.port(), MqttVersion.V5, "ota-large", props);
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ota-large-pub")) {
            subscribe(sub, topic, 0);
            Conformance.publishQos1(pub, topic, false, "x".repeat(500));
            Conformance.publishQos1(pub, topic, false, "small");
            Conformance.publishQos1(pub, topic, false, "again");
            assertPublish(sub.expect(PublishPacket.class), topic, 1, "small");
            assertPublish(sub.expect(PublishPacket.class), "", 1, "again");
            sub.expectNothingMore();
        }
    }

    /** {@code mqtt.outboundTopicAliasMaximum: 0}: the broker sets no aliases, whatever the client allows. */
    @Nested
    class WithOutboundAliasesOff {
        @RegisterExtension
        static EmbeddedBroker off = Conformance.brokerWith("outboundTopicAliasMaximum: 0");

        @Test
        @DisplayName("mqtt.outboundTopicAliasMaximum 0: a client allowing 10 aliases gets full topic names only")
        void noAliases() {
            String topic = "aliases/off";
            try (RawClient sub = Conformance.connectClean(off.port(), MqttVersion.V5, "ota-off", topicAliasMaximum(10));
                    RawClient pub = RawClient.connect(off.port(), MqttVersion.V5, "ota-off-pub")) {
                subscribe(sub, topic, 0);
                Conformance.publishQos1(pub, topic, false, "1");
                Conformance.publishQos1(pub, topic, false, "2");
                assertPublish(sub.expect(PublishPacket.class), topic, null, "1");
                assertPublish(sub.expect(PublishPacket.class), topic, null, "2");
            }
        }
    }

    /** {@code mqtt.outboundTopicAliasMaximum: 1}: the lower of the broker's and the client's maximum counts. */
    @Nested
    class WithOneOutboundAlias {
        @RegisterExtension
        static EmbeddedBroker one = Conformance.brokerWith("outboundTopicAliasMaximum: 1");

        @Test
        @DisplayName("mqtt.outboundTopicAliasMaximum 1 and a client allowing 10: only alias 1 is used, remapped per"
                + " topic")
        void brokerMaximumCaps() {
            String a = "aliases/one/a";
            String b = "aliases/one/b";
            try (RawClient sub = Conformance.connectClean(one.port(), MqttVersion.V5, "ota-one", topicAliasMaximum(10));
                    RawClient pub = RawClient.connect(one.port(), MqttVersion.V5, "ota-one-pub")) {
                subscribe(sub, "aliases/one/+", 0);
                for (String t : List.of(a, a, b, b, a)) {
                    Conformance.publishQos1(pub, t, false, t);
                }
                assertPublish(sub.expect(PublishPacket.class), a, 1, a);
                assertPublish(sub.expect(PublishPacket.class), "", 1, a);
                assertPublish(sub.expect(PublishPacket.class), b, 1, b);
                assertPublish(sub.expect(PublishPacket.class), "", 1, b);
                assertPublish(sub.expect(PublishPacket.class), a, 1, a);
            }
        }
    }
}
