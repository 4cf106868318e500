package io.switchboard.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import org.junit.jupiter.api.Test;

/** The CONNECT rules, tested without a socket. */
class ConnectValidatorTest {
    private static final BrokerConfig DEFAULTS = BrokerConfig.defaults();
    private static final ClientIdGenerator IDS = new ClientIdGenerator();

    private static ConnectPacket connect(MqttVersion v, String id, boolean clean, Will will, Properties p) {
        return new ConnectPacket(v, clean, 30, id, will, null, null, p);
    }

    @Test
    void emptyClientIdIsAssignedIn5() {
        var d = (ConnectDecision.Accept) ConnectValidator.validate(
                connect(MqttVersion.V5, "", false, null, Properties.EMPTY), DEFAULTS, IDS);
        assertThat(d.assigned()).isTrue();
        assertThat(d.clientId()).startsWith("auto-");
    }

    @Test
    void emptyClientIdWithoutCleanSessionIsRefusedIn311() {
        // [MQTT-3.1.3-8]
        var d = ConnectValidator.validate(connect(MqttVersion.V3_1_1, "", false, null, Properties.EMPTY), DEFAULTS, IDS);
        assertThat(d).isInstanceOf(ConnectDecision.Refuse.class);
        assertThat(((ConnectDecision.Refuse) d).reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void sessionExpiryIsCappedAndReported() {
        BrokerConfig cfg = DEFAULTS.withSessions(new io.switchboard.broker.config.SessionConfig(60L, null, null, null, null));
        var d = (ConnectDecision.Accept) ConnectValidator.validate(connect(MqttVersion.V5, "c", false, null,
                Properties.builder().sessionExpiryInterval(3600L).build()), cfg, IDS);
        assertThat(d.sessionExpiry()).isEqualTo(60);
        assertThat(d.sessionExpiryLowered()).isTrue();
    }

    @Test
    void cleanSession0In311NeverExpiresByDefault() {
        var d = (ConnectDecision.Accept) ConnectValidator.validate(
                connect(MqttVersion.V3_1_1, "c", false, null, Properties.EMPTY), DEFAULTS, IDS);
        assertThat(d.sessionExpiry()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void willAboveMaximumQosIsRefused() {
        // [MQTT-3.2.2-12]
        BrokerConfig cfg = DEFAULTS.withMqtt(new MqttConfig(null, null, null, 1, null, null, null, null, null, null, null, null, null, null, null, null, null));
        Will will = new Will("w", Payload.utf8("x"), 2, false, Properties.EMPTY);
        var d = ConnectValidator.validate(connect(MqttVersion.V5, "c", true, will, Properties.EMPTY), cfg, IDS);
        assertThat(((ConnectDecision.Refuse) d).reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED);
    }

    @Test
    void willTopicWithWildcardIsRefused() {
        Will will = new Will("w/#", Payload.utf8("x"), 0, false, Properties.EMPTY);
        var d = ConnectValidator.validate(connect(MqttVersion.V5, "c", true, will, Properties.EMPTY), DEFAULTS, IDS);
        assertThat(((ConnectDecision.Refuse) d).reasonCode()).isEqualTo(ReasonCode.TOPIC_NAME_INVALID);
    }

    @Test
    void keepAboveServerMaximumGetsServerKeepAlive() {
        BrokerConfig cfg = DEFAULTS.withMqtt(new MqttConfig(null, null, null, null, null, null, 10, null, null, null, null, null, null, null, null, null, null));
        var d = (ConnectDecision.Accept) ConnectValidator.validate(
                connect(MqttVersion.V5, "c", true, null, Properties.EMPTY), cfg, IDS);
        assertThat(d.keepAliveSeconds()).isEqualTo(10);
        assertThat(d.serverKeepAlive()).isEqualTo(10);
    }
}
