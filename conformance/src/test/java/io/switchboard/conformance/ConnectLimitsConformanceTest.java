package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.config.SessionConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CONNECT against configured limits, and what the 5.0 CONNACK then says (sections 3.1.3.1, 3.2.2.3).
 * Client ids here are at most 23 bytes: the broker's {@code mqtt.maxClientIdLength}.
 */
class ConnectLimitsConformanceTest {
    static final int MAX_CLIENT_ID_LENGTH = 23;
    static final int MAX_KEEP_ALIVE = 30;
    static final long MAX_SESSION_EXPIRY = 60;

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg
            .withMqtt(new MqttConfig(null, null, null, null, null, null, MAX_KEEP_ALIVE, null, MAX_CLIENT_ID_LENGTH,
                    null, null, null, null, null, null, null, null))
            .withSessions(new SessionConfig(MAX_SESSION_EXPIRY, null, null, null, null)));

    /** Sends the CONNECT and returns the CONNACK, whatever its reason code. */
    private static ConnackPacket connack(RawClient c, ConnectPacket p) {
        c.send(p);
        return c.expect(ConnackPacket.class);
    }

    /** A client id of exactly {@code length} bytes starting with {@code prefix}. */
    private static String clientId(String prefix, int length) {
        String id = (prefix + "-" + "x".repeat(length)).substring(0, length);
        assertThat(id.getBytes(StandardCharsets.UTF_8)).hasSize(length);
        return id;
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("mqtt.maxClientIdLength 23: a 24-byte client id is refused, 5.0 CONNACK 0x85 (3.2.2.2), 3.1.1 "
            + "return code 0x02 (3.2.2.3), then close; 23 bytes are accepted [MQTT-3.1.3-5]")
    void clientIdTooLong(MqttVersion v) {
        try (RawClient c = RawClient.open(broker.port(), v)) {
            ConnackPacket ack = connack(c, connectPacket(v, clientId("cl-long-" + v, 24), true, null, 0, null));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID); // 3.1.1: return code 2
            assertThat(ack.sessionPresent()).isFalse();
            expectClosedWithoutPacket(c);
        }
        try (RawClient c = RawClient.open(broker.port(), v)) {
            ConnackPacket ack = connack(c, connectPacket(v, clientId("cl-fits-" + v, 23), true, null, 0, null));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("MQTT 3.1 (MQIsdp, level 3) with an empty client id: CONNACK return code 0x02, then close "
            + "(3.1: the client id is 1 to 23 characters)")
    void mqtt31EmptyClientIdRefused() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V3_1)) {
            ConnackPacket ack = connack(c, new ConnectPacket(MqttVersion.V3_1, true, 0, "", null, null, null,
                    Properties.EMPTY));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            expectClosedWithoutPacket(c);
        }
    }

    @Test
    @DisplayName("5.0: a Session Expiry Interval above sessions.maxSessionExpiryInterval is lowered and the CONNACK "
            + "carries the granted value (3.2.2.3.2); none when the asked value is granted")
    void grantedSessionExpiryInConnack() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            ConnackPacket ack = connack(c, connectPacket(MqttVersion.V5, "cl-expiry-high", true, 3600L, 0, null));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().sessionExpiryInterval()).isEqualTo(MAX_SESSION_EXPIRY);
        }
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            ConnackPacket ack = connack(c, connectPacket(MqttVersion.V5, "cl-expiry-ok", true, 30L, 0, null));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().sessionExpiryInterval()).isNull();
        }
    }

    @Test
    @DisplayName("5.0 CONNACK carries no Wildcard Subscription Available nor Subscription Identifiers Available: "
            + "absent means 1, both are supported (3.2.2.3.11, 3.2.2.3.12)")
    void wildcardAndSubscriptionIdentifiersAvailableByAbsence() {
        var conn = Conformance.connectCleanWithAck(broker.port(), MqttVersion.V5, "cl-available", Properties.EMPTY);
        try (RawClient c = conn.client()) {
            assertThat(conn.connack().properties().wildcardSubscriptionAvailable()).isNull();
            assertThat(conn.connack().properties().subscriptionIdentifierAvailable()).isNull();
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 Keep Alive 0 with mqtt.maxKeepAlive 30: CONNACK Server Keep Alive 30 [MQTT-3.2.2-21] "
            + "(3.2.2.3.14)")
    void keepAliveZeroGetsServerKeepAlive() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            ConnackPacket ack = connack(c, connectPacket(MqttVersion.V5, "cl-ka-zero", true, null, 0, null));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().serverKeepAlive()).isEqualTo(MAX_KEEP_ALIVE);
        }
    }

    @Test
    @DisplayName("A CONNACK larger than the client's Maximum Packet Size is not sent [MQTT-3.1.2-24]: CONNACK 0x95"
            + " without properties, then close, instead of a client left waiting")
    void connackLargerThanClientMaximum() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            // An empty client id makes the broker assign one: the CONNACK would be about 60 bytes.
            ConnectPacket p = new ConnectPacket(MqttVersion.V5, true, 0, "", null, null, null,
                    Properties.builder().maximumPacketSize(20L).build());
            ConnackPacket ack = connack(c, p);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
            assertThat(Conformance.bytes(ack, MqttVersion.V5).length).isLessThanOrEqualTo(20);
            expectClosedWithoutPacket(c);
        }
        // The session made for the connection (an assigned id) ends with it (expiry 0).
        org.awaitility.Awaitility.await().atMost(RawClient.TIMEOUT).until(() -> broker.broker().sessions().all()
                .stream().noneMatch(s -> s.clientId().startsWith("auto-")));
    }

    @Test
    @DisplayName("mqtt.maxClientIdLength limits what clients send, not the id the broker assigns [MQTT-3.1.3-6]")
    void assignedIdIsNotRefusedByTheLimit() {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            ConnackPacket ack = connack(c, new ConnectPacket(MqttVersion.V5, true, 0, "", null, null, null,
                    Properties.EMPTY));
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().assignedClientIdentifier().length()).isGreaterThan(MAX_CLIENT_ID_LENGTH);
        }
    }
}
