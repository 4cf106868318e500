package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectDisconnectOrCloseSkippingPackets;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Topic names, topic filters, wildcard matching, $-topics and topic aliases (sections 4.7 and 3.3.2.3.4). */
class TopicConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private static String clientId(String prefix) {
        return "tc-" + prefix + "-" + CLIENTS.incrementAndGet();
    }

    /** filter, topic, whether the filter matches the topic. */
    static Stream<Arguments> matchingTable() {
        Object[][] rows = {
                {"+", "a", true},
                {"+", "a/b", false},
                {"+", "/a", false},
                {"#", "a/b/c", true},
                {"#", "/a", true},
                {"a/#", "a", true}, // '#' includes the parent level (section 4.7.1.2)
                {"a/#", "a/b/c", true},
                {"a/#", "ab", false},
                {"a/+", "a/b", true},
                {"a/+", "a/b/c", false},
                {"a/+", "a", false},
                {"a/+", "a/", true}, // an empty level
                {"+/+", "/a", true},
                {"+/+", "a/b", true},
                {"+/+", "a", false},
                {"/+", "/a", true},
                {"a//b", "a//b", true},
                {"a/+/b", "a//b", true},
                {"a/+/b", "a/b", false},
                {"+/b/#", "x/b", true},
                {"A/b", "a/b", false}, // case sensitive (section 4.7.3)
                {"#", "$conf/x", false}, // [MQTT-4.7.2-1]
                {"+/x", "$conf/x", false}, // [MQTT-4.7.2-1]
                {"+", "$conf", false}, // [MQTT-4.7.2-1]
                {"$conf/#", "$conf/x", true},
                {"$conf/+", "$conf/x", true},
                {"$conf", "$conf", true},
        };
        return Stream.of(MqttVersion.V3_1_1, MqttVersion.V5)
                .flatMap(v -> Stream.of(rows).map(r -> Arguments.of(v, r[0], r[1], r[2])));
    }

    @ParameterizedTest(name = "{0}: filter ''{1}'' vs topic ''{2}'' -> {3}")
    @MethodSource("matchingTable")
    @DisplayName("Wildcard matching (section 4.7.1); wildcards do not match $-topics at the first level [MQTT-4.7.2-1]")
    void wildcardMatching(MqttVersion v, String filter, String topic, boolean matches) {
        try (RawClient sub = RawClient.connect(broker.port(), v, clientId("match-sub"));
                RawClient pub = RawClient.connect(broker.port(), v, clientId("match-pub"))) {
            Conformance.subscribe(sub, filter, 0);
            Conformance.publishQos1(pub, topic, false, filter + " @ " + topic);
            if (matches) {
                expectPublish(sub, topic, filter + " @ " + topic);
            }
            sub.expectNothingMore();
        }
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(MqttVersion.V3_1_1, MqttVersion.V5).flatMap(v -> Stream.of(
                "a/#/b", "a+", "#a", "a/b#", "+a/b", "a/+b", "").map(f -> Arguments.of(v, f)));
    }

    @ParameterizedTest(name = "{0}: ''{1}''")
    @MethodSource("invalidFilters")
    @DisplayName("Invalid topic filters are refused in SUBACK (5.0 0x8F, 3.1.1 0x80) [MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.3-1]")
    void invalidFilterRefused(MqttVersion v, String filter) {
        try (RawClient c = RawClient.connect(broker.port(), v, clientId("invalid"))) {
            SubackPacket ack = Conformance.subscribeForSuback(c, Properties.EMPTY, new TopicSubscription(filter, 1),
                    new TopicSubscription("topics/valid", 1));
            assertThat(ack.reasonCodes().get(0).value()).isEqualTo(v.isV5() ? 0x8F : 0x80);
            assertThat(ack.reasonCodes().get(1)).isEqualTo(ReasonCode.GRANTED_QOS_1);
            c.expectNothingMore(); // and the connection stays usable
        }
    }

    static Stream<Arguments> wildcardTopicNames() {
        return Stream.of(MqttVersion.V3_1_1, MqttVersion.V5).flatMap(v -> Stream.of(
                "a/+", "a/#", "#", "+", "a+b").map(t -> Arguments.of(v, t)));
    }

    @ParameterizedTest(name = "{0}: ''{1}''")
    @MethodSource("wildcardTopicNames")
    @DisplayName("A Topic Name with a wildcard in PUBLISH [MQTT-3.3.2-2]: 5.0 DISCONNECT 0x90, 3.1.1 close")
    void wildcardInTopicName(MqttVersion v, String topic) {
        try (RawClient c = RawClient.connect(broker.port(), v, clientId("wildname"))) {
            c.send(publishPacket(topic, 1, false, 1, "bad"));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.TOPIC_NAME_INVALID);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("An empty Topic Name without Topic Alias: 5.0 DISCONNECT 0x82 Protocol Error (section 3.3.2.1),"
            + " 3.1.1 close [MQTT-4.7.3-1]")
    void emptyTopicName(MqttVersion v) {
        try (RawClient c = RawClient.connect(broker.port(), v, clientId("empty"))) {
            c.send(publishPacket("", 1, false, 1, "nowhere"));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    /** A PUBLISH QoS 1 (packet id 1) built byte by byte, with the topic's bytes as given. */
    private static byte[] rawPublish(MqttVersion v, byte[] topic) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(topic.length >> 8);
        body.write(topic.length & 0xFF);
        body.writeBytes(topic);
        body.write(0);
        body.write(1); // packet id 1
        if (v.isV5()) {
            body.write(0); // no properties
        }
        body.write('p');
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x32); // PUBLISH, QoS 1
        packet.write(body.size()); // < 128
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("U+0000 in a Topic Name closes the connection (5.0 [MQTT-1.5.4-2] DISCONNECT 0x81,"
            + " 3.1.1 [MQTT-1.5.3-2]) [MQTT-4.7.3-2]")
    void nullCharacterInTopic(MqttVersion v) {
        try (RawClient c = RawClient.connect(broker.port(), v, clientId("nul"))) {
            c.sendBytes(rawPublish(v, "a\u0001b".getBytes(StandardCharsets.UTF_8))); // control: well formed
            assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(1);
            c.sendBytes(rawPublish(v, new byte[] {'a', 0, 'b'}));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.MALFORMED_PACKET);
        }
    }

    private static PublishPacket aliased(String topic, int alias, String payload) {
        return publishPacket(topic, 1, Conformance.nextId(), Properties.builder().topicAlias(alias).build(), payload);
    }

    @Test
    @DisplayName("5.0 Topic Alias: set with a topic, then used with an empty topic; every value 1..maximum"
            + " is accepted [MQTT-3.3.2-12]")
    void topicAliasSetThenUsed() {
        var conn = Conformance.connectCleanWithAck(broker.port(), MqttVersion.V5, clientId("alias"), Properties.EMPTY);
        try (RawClient pub = conn.client();
                RawClient sub = RawClient.connect(broker.port(), MqttVersion.V5, clientId("alias-sub"))) {
            int max = conn.connack().properties().topicAliasMaximum();
            assertThat(max).isPositive();
            Conformance.subscribe(sub, "topics/alias/#", 0);
            for (int alias : List.of(1, max)) {
                String topic = "topics/alias/" + alias;
                pub.send(aliased(topic, alias, "set"));
                pub.expect(PubackPacket.class);
                pub.send(aliased("", alias, "used"));
                pub.expect(PubackPacket.class);
                expectPublish(sub, topic, "set");
                PublishPacket used = expectPublish(sub, topic, "used"); // the subscriber sees the real topic
                assertThat(used.properties().topicAlias()).isNull(); // it set no Topic Alias Maximum
            }
            pub.send(aliased("topics/alias/re", 1, "remap")); // an alias may be mapped again
            pub.expect(PubackPacket.class);
            pub.send(aliased("", 1, "remapped"));
            pub.expect(PubackPacket.class);
            expectPublish(sub, "topics/alias/re", "remap");
            expectPublish(sub, "topics/alias/re", "remapped");
        }
    }

    @Test
    @DisplayName("5.0 Topic Alias 0 [MQTT-3.3.2-8] -> DISCONNECT 0x94 Topic Alias invalid")
    void topicAliasZero() {
        // The specification names no code for alias 0; Switchboard answers 0x94, as for an alias above the
        // maximum, because that is what the client did wrong (HiveMQ does the same).
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, clientId("alias0"))) {
            c.send(aliased("topics/alias0", 0, "x"));
            assertThat(c.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
            c.expectClosed();
        }
    }

    @Test
    @DisplayName("5.0 Topic Alias above the Topic Alias Maximum in CONNACK -> DISCONNECT 0x94 [MQTT-3.3.2-9]")
    void topicAliasAboveMaximum() {
        var conn = Conformance.connectCleanWithAck(broker.port(), MqttVersion.V5, clientId("aliasmax"),
                Properties.EMPTY);
        try (RawClient c = conn.client()) {
            int max = conn.connack().properties().topicAliasMaximum();
            c.send(aliased("topics/aliasmax", max + 1, "x"));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.TOPIC_ALIAS_INVALID);
        }
    }

    @Test
    @DisplayName("5.0 Topic Alias used before it was set -> DISCONNECT 0x82 (section 3.3.2.3.4)")
    void topicAliasUnknown() {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, clientId("aliasunknown"))) {
            c.send(aliased("", 3, "x"));
            expectDisconnectOrCloseSkippingPackets(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    @DisplayName("5.0 Topic Aliases do not carry over to a new connection [MQTT-3.3.2-7]")
    void topicAliasNotCarriedOver() {
        String id = clientId("aliasreconnect");
        try (RawClient first = RawClient.connect(broker.port(), MqttVersion.V5, id)) {
            first.send(aliased("topics/aliasreconnect", 2, "set"));
            first.expect(PubackPacket.class);
        }
        try (RawClient second = RawClient.connect(broker.port(), MqttVersion.V5, id)) {
            second.send(aliased("", 2, "stale"));
            expectDisconnectOrCloseSkippingPackets(second, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest(name = "MQTT {0} QoS {1}")
    @CsvSource({"V3_1_1, 0", "V3_1_1, 1", "V3_1_1, 2", "V5, 0", "V5, 1", "V5, 2"})
    @DisplayName("A PUBLISH to $SYS/... from a client is refused, $SYS/ being the broker's own (4.7.2): 5.0 PUBACK/"
            + "PUBREC 0x87 Not authorized (3.4.2.1, 3.5.2.1), 3.1.1 acknowledged and dropped, QoS 0 dropped; counted,"
            + " delivered to nobody, and the client stays connected")
    void publishToSysIsRefused(MqttVersion v, int qos) {
        String topic = "$SYS/conformance/" + v + "/" + qos;
        var denied = broker.broker().metrics().publishDenied;
        try (RawClient sub = RawClient.connect(broker.port(), v, clientId("sys-sub"));
                RawClient pub = RawClient.connect(broker.port(), v, clientId("sys-pub"))) {
            Conformance.subscribe(sub, topic, 2);
            long before = denied.sum();
            int id = qos == 0 ? 0 : Conformance.nextId();
            pub.send(publishPacket(topic, qos, false, id, "forged"));
            ReasonCode expected = v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
            if (qos == 1) {
                PubackPacket ack = pub.expect(PubackPacket.class);
                assertThat(ack.packetId()).isEqualTo(id);
                assertThat(ack.reasonCode()).isEqualTo(expected);
            } else if (qos == 2) {
                PubrecPacket rec = pub.expect(PubrecPacket.class);
                assertThat(rec.packetId()).isEqualTo(id);
                assertThat(rec.reasonCode()).isEqualTo(expected);
                if (!v.isV5()) { // 3.1.1 completes the exchange; in 5.0 the error PUBREC ends it (4.3.3)
                    pub.send(new PubrelPacket(id));
                    assertThat(pub.expect(PubcompPacket.class).packetId()).isEqualTo(id);
                }
            }
            pub.expectNothingMore(); // read by the broker, and the connection is still open
            assertThat(denied.sum()).isEqualTo(before + 1);
            sub.expectNothingMore();
            Conformance.publishQos1(pub, "topics/sys-control/" + v, false, "elsewhere is fine");
        }
    }
}
