package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.bytes;
import static io.switchboard.conformance.Conformance.concat;
import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.receive;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CONNECT and CONNACK: MQTT 3.1.1 and 5.0 sections 3.1 and 3.2. */
class ConnectConformanceTest {
    static final int MAX_PACKET_SIZE = 4096;
    static final int RECEIVE_MAXIMUM = 20;
    static final int TOPIC_ALIAS_MAXIMUM = 10;

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg.withMqtt(new MqttConfig(MAX_PACKET_SIZE,
            RECEIVE_MAXIMUM, null, null, null, TOPIC_ALIAS_MAXIMUM, null, 1, null, null, null, null, null, null, null, null, null)));

    /** 3.1.1-style CONNECT bytes with a given protocol name and level; client id "raw", Clean Session 1. */
    private static byte[] rawConnect(String name, int level) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] body = concat(new byte[] {0, (byte) n.length}, n,
                new byte[] {(byte) level, 0x02, 0x00, 0x3C, 0x00, 0x03, 'r', 'a', 'w'});
        return concat(new byte[] {0x10, (byte) body.length}, body);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("CONNACK 0x00 with Session Present 0 for a new session [MQTT-3.2.2-1]/[MQTT-3.2.2-2] (3.1.1), [MQTT-3.1.4-5]/[MQTT-3.2.2-2] (5.0)")
    void successfulConnackForNewSession(MqttVersion v) {
        try (RawClient c = connect(broker, connectPacket(v, "cc-ok-" + v, true, null, 0, null), false)) {
            c.expectNothingMore();
        }
        // Clean Session 0 / Clean Start 0 without a stored session: Session Present 0 too.
        try (RawClient c = connect(broker, persistent(v, "cc-ok-p-" + v, false), false)) {
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("unsupported protocol level 6: CONNACK return code 0x01, then close [MQTT-3.1.2-2]")
    void unsupportedProtocolLevel() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            c.sendBytes(rawConnect("MQTT", 6));
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION); // return code 0x01
            assertThat(ack.sessionPresent()).isFalse();
            expectClosedWithoutPacket(c);
        }
    }

    @Test
    @DisplayName("protocol name MQTT with level 3 is unsupported: CONNACK 0x01, then close [MQTT-3.1.2-2]")
    void mqttNameWithLevel3() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            c.sendBytes(rawConnect("MQTT", 3));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            expectClosedWithoutPacket(c);
        }
    }

    @Test
    @DisplayName("MQTT 3.1 (MQIsdp, level 3) is accepted")
    void mqtt31Accepted() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            c.sendBytes(rawConnect("MQIsdp", 3));
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("a wrong protocol name: closed without CONNACK [MQTT-3.1.2-1]")
    void wrongProtocolName() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1_1)) {
            c.sendBytes(rawConnect("MQTX", 4));
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("reserved CONNECT flag set: closed; 5.0 with CONNACK 0x81 first [MQTT-3.1.2-3]")
    void reservedFlagSet(MqttVersion v) {
        try (RawClient c = RawClient.open(broker.port(), v)) {
            byte[] connect = bytes(connectPacket(v, "cc-resv-" + v, true, null, 0, null), v);
            // Connect Flags follow the 2+4 bytes of protocol name and the level: fixed header is 2 bytes.
            int flagsAt = 2 + 6 + 1;
            assertThat(connect[flagsAt]).isEqualTo((byte) 0x02);
            connect[flagsAt] |= 0x01;
            c.sendBytes(connect);
            if (v.isV5()) {
                assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
            }
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a second CONNECT is a protocol violation: 5.0 DISCONNECT 0x82, 3.1.1 close [MQTT-3.1.0-2]")
    void secondConnect(MqttVersion v) {
        try (RawClient c = connect(broker, connectPacket(v, "cc-twice-" + v, true, null, 0, null), false)) {
            c.send(connectPacket(v, "cc-twice-" + v, true, null, 0, null));
            expectDisconnectOrClose(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the first packet is not CONNECT: closed without a reply [MQTT-3.1.0-1]")
    void firstPacketNotConnect(MqttVersion v) {
        try (RawClient c = RawClient.open(broker.port(), v)) {
            c.send(new PublishPacket("cc/first", 0, false, false, 0, Properties.EMPTY, Payload.utf8("x")));
            expectClosedWithoutPacket(c);
        }
    }

    @Test
    @DisplayName("a connection that sends no CONNECT is closed after connectTimeoutSeconds (section 3.1.4 / 4.13)")
    void noConnectTimesOut() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            long start = System.nanoTime();
            expectClosedWithoutPacket(c); // RawClient waits up to 10 s; configured 1 s
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until closed").isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    @DisplayName("5.0 empty client id: the server assigns one and returns it [MQTT-3.1.3-6], [MQTT-3.2.2-16]")
    void emptyClientIdAssignedV5() {
        try (RawClient c = RawClient.connect(broker.port(), connectPacket(MqttVersion.V5, "", true, null, 0, null))) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().assignedClientIdentifier()).isNotBlank();
            String assigned = ack.properties().assignedClientIdentifier();
            assertThat(broker.broker().sessions().get(assigned)).isNotNull();
        }
    }

    @Test
    @DisplayName("3.1.1 empty client id with Clean Session 1 is accepted [MQTT-3.1.3-6], [MQTT-3.1.3-7]")
    void emptyClientIdCleanSession311() {
        try (RawClient c = connect(broker, connectPacket(MqttVersion.V3_1_1, "", true, null, 0, null), false)) {
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("3.1.1 empty client id with Clean Session 0: CONNACK 0x02, then close [MQTT-3.1.3-8]")
    void emptyClientIdPersistent311() {
        try (RawClient c = RawClient.connect(broker.port(), connectPacket(MqttVersion.V3_1_1, "", false, null, 0,
                null))) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID); // return code 0x02
            assertThat(ack.sessionPresent()).isFalse(); // [MQTT-3.2.2-4]
            expectClosedWithoutPacket(c); // [MQTT-3.2.2-5]
        }
    }

    @Test
    @DisplayName("5.0 Authentication Method without enhanced authentication: CONNACK 0x8C, close (section 4.12)")
    void authenticationMethodRefused() {
        ConnectPacket p = new ConnectPacket(MqttVersion.V5, true, 0, "cc-auth", null, null, null,
                Properties.builder().authenticationMethod("SCRAM-SHA-1").build());
        try (RawClient c = RawClient.connect(broker.port(), p)) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
            assertThat(ack.sessionPresent()).isFalse(); // [MQTT-3.2.2-6]
            expectClosedWithoutPacket(c); // [MQTT-3.2.2-7]
        }
    }

    @Test
    @DisplayName("5.0 CONNACK advertises Maximum Packet Size, Topic Alias Maximum, Receive Maximum, Shared Subscription Available 1 (3.2.2.3)")
    void connackAdvertisesLimits() {
        try (RawClient c = RawClient.connect(broker.port(), connectPacket(MqttVersion.V5, "cc-props", true, null, 0,
                null))) {
            Properties props = c.expect(ConnackPacket.class).properties();
            assertThat(props.maximumPacketSize()).isEqualTo((long) MAX_PACKET_SIZE);
            assertThat(props.topicAliasMaximum()).isEqualTo(TOPIC_ALIAS_MAXIMUM);
            assertThat(props.receiveMaximum()).isEqualTo(RECEIVE_MAXIMUM);
            assertThat(props.sharedSubscriptionAvailable()).isEqualTo(1);
            assertThat(props.wildcardSubscriptionAvailable()).as("absent: available").isNull();
            assertThat(props.subscriptionIdentifierAvailable()).as("absent: available").isNull();
            assertThat(props.responseInformation()).as("only when asked for [MQTT-3.1.2-28]").isNull();
            assertThat(props.assignedClientIdentifier()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("Will QoS above the maximum QoS: 5.0 CONNACK 0x9B [MQTT-3.2.2-12]; 3.1.1 no return code fits, closed [MQTT-3.2.2-6]")
    void willQosAboveMaximum(MqttVersion v) {
        try (EmbeddedBroker limited = EmbeddedBroker.started(cfg -> cfg.withMqtt(new MqttConfig(null, null, null, 1,
                null, null, null, null, null, null, null, null, null, null, null, null, null)));
                RawClient c = RawClient.connect(limited.port(), connectPacket(v, "cc-wq-" + v, true, null, 0,
                        new Will("cc/will", Payload.utf8("w"), 2, false, Properties.EMPTY)))) {
            if (v.isV5()) {
                ConnackPacket ack = c.expect(ConnackPacket.class);
                assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
                assertThat(ack.sessionPresent()).isFalse();
            }
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("retained Will when retain is not available: 5.0 CONNACK 0x9A [MQTT-3.2.2-13]; 3.1.1 closed [MQTT-3.2.2-6]")
    void retainedWillNotAvailable(MqttVersion v) {
        try (EmbeddedBroker limited = EmbeddedBroker.started(cfg -> cfg.withMqtt(new MqttConfig(null, null, null,
                null, false, null, null, null, null, null, null, null, null, null, null, null, null)));
                RawClient c = RawClient.connect(limited.port(), connectPacket(v, "cc-wr-" + v, true, null, 0,
                        new Will("cc/will", Payload.utf8("w"), 0, true, Properties.EMPTY)))) {
            if (v.isV5()) {
                assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.RETAIN_NOT_SUPPORTED);
            }
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("packets sent right after CONNECT are processed after CONNACK (section 3.1.4)")
    void pipelinedPacketsAfterConnack(MqttVersion v) {
        String topic = "cc/pipe/" + v;
        try (RawClient pub = connect(broker, connectPacket(v, "cc-pipe-pub-" + v, true, null, 0, null), false);
                RawClient c = RawClient.open(broker.port(), v)) {
            c.sendBytes(concat(
                    bytes(connectPacket(v, "cc-pipe-" + v, true, null, 0, null), v),
                    bytes(new SubscribePacket(5, List.of(new TopicSubscription(topic, 1)), Properties.EMPTY), v),
                    bytes(new PublishPacket(topic, 0, false, false, 0, Properties.EMPTY, Payload.utf8("self")), v)));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            SubackPacket suback = c.expect(SubackPacket.class);
            assertThat(suback.packetId()).isEqualTo(5);
            assertThat(suback.reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);
            receive(c, topic, "self"); // its own QoS 0 PUBLISH, processed after the SUBSCRIBE
            publish(pub, topic, 1, 1, "other");
            receive(c, topic, "other");
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a refused CONNECT: packets pipelined after it are not processed, 5.0 [MQTT-3.1.4-6]")
    void refusedConnectIgnoresPipelinedPackets(MqttVersion v) {
        String topic = "cc/refused/" + v;
        // 3.1.1: empty client id with Clean Session 0 (0x02); 5.0: an Authentication Method (0x8C).
        ConnectPacket refused = v.isV5()
                ? new ConnectPacket(v, true, 0, "cc-refused", null, null, null,
                        Properties.builder().authenticationMethod("nope").build())
                : connectPacket(v, "", false, null, 0, null);
        try (RawClient watcher = connect(broker, connectPacket(v, "cc-refused-watch-" + v, true, null, 0, null),
                false);
                RawClient c = RawClient.open(broker.port(), v)) {
            Conformance.subscribe(watcher, 1, topic, 0);
            c.sendBytes(concat(bytes(refused, v),
                    bytes(new PublishPacket(topic, 0, false, false, 0, Properties.EMPTY, Payload.utf8("no")), v)));
            assertThat(c.expect(ConnackPacket.class).reasonCode().isError()).isTrue();
            expectClosedWithoutPacket(c);
            try (RawClient pub = connect(broker, connectPacket(v, "cc-refused-pub-" + v, true, null, 0, null),
                    false)) {
                publish(pub, topic, 0, 0, "marker");
            }
            receive(watcher, topic, "marker"); // the pipelined PUBLISH would have come first
            watcher.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a second CONNECT pipelined before CONNACK is a protocol violation [MQTT-3.1.0-2]")
    void pipelinedSecondConnect(MqttVersion v) {
        try (RawClient c = RawClient.open(broker.port(), v)) {
            byte[] connect = bytes(connectPacket(v, "cc-twice-pipe-" + v, true, null, 0, null), v);
            c.sendBytes(concat(connect, connect));
            // 5.0 may get CONNACK 0x00 then DISCONNECT 0x82, or a refusing CONNACK 0x82; 3.1.1 may get CONNACK 0.
            MqttPacket first;
            try {
                first = c.receive();
            } catch (AssertionError closed) {
                assertThat(closed).hasMessageContaining("closed the connection");
                return;
            }
            assertThat(first).isInstanceOf(ConnackPacket.class);
            ConnackPacket ack = (ConnackPacket) first;
            if (ack.reasonCode() == ReasonCode.SUCCESS) {
                expectDisconnectOrClose(c, ReasonCode.PROTOCOL_ERROR);
            } else {
                assertThat(v.isV5()).isTrue();
                assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
                expectClosedWithoutPacket(c);
            }
        }
    }
}
