package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keep Alive and PINGREQ/PINGRESP: 3.1.1 sections 3.1.2.10, 3.12; 5.0 sections 3.1.2.10, 3.2.2.3.14, 3.12. */
class KeepAliveConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("silent client with Keep Alive 1 s is disconnected after 1.5 s: 5.0 DISCONNECT 0x8D, 3.1.1 close "
            + "[MQTT-3.1.2-24] (3.1.1), [MQTT-3.1.2-22] (5.0)")
    void silentClientDisconnected(MqttVersion v) {
        long start = System.nanoTime();
        try (RawClient c = connect(broker, connectPacket(v, "ka-silent-" + v, true, null, 1, null), false)) {
            expectDisconnectOrClose(c, ReasonCode.KEEP_ALIVE_TIMEOUT); // waits up to 10 s
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the keep alive closed the connection").isGreaterThanOrEqualTo(1_000);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("PINGREQ is answered with PINGRESP [MQTT-3.12.4-1]")
    void pingAnswered(MqttVersion v) {
        try (RawClient c = connect(broker, connectPacket(v, "ka-ping-" + v, true, null, 60, null), false)) {
            for (int i = 0; i < 3; i++) {
                c.send(PingreqPacket.INSTANCE);
                c.expect(PingrespPacket.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a client that keeps sending packets within the Keep Alive stays connected [MQTT-3.1.2-22]/[MQTT-3.1.2-24]")
    void activeClientStaysConnected(MqttVersion v) {
        try (RawClient c = connect(broker, connectPacket(v, "ka-active-" + v, true, null, 1, null), false)) {
            long until = System.nanoTime() + 2_500_000_000L; // beyond 1.5 times the keep alive
            while (System.nanoTime() < until) {
                c.send(PingreqPacket.INSTANCE);
                c.expect(PingrespPacket.class); // fails if the broker disconnects meanwhile
            }
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    @DisplayName("5.0 Keep Alive above the server's maximum: Server Keep Alive in CONNACK [MQTT-3.2.2-21], enforced")
    void serverKeepAlive() {
        try (EmbeddedBroker limited = EmbeddedBroker.started(cfg -> cfg.withMqtt(new MqttConfig(null, null, null, null,
                null, null, 5, null, null, null, null, null, null, null, null, null, null)));
                RawClient c = RawClient.connect(limited.port(), connectPacket(MqttVersion.V5, "ka-server", true, null,
                        60, null))) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().serverKeepAlive()).isEqualTo(5);
        }
    }

    @Test
    @DisplayName("5.0 the Server Keep Alive is what the broker enforces [MQTT-3.2.2-21], [MQTT-3.1.2-22]")
    void serverKeepAliveEnforced() {
        try (EmbeddedBroker limited = EmbeddedBroker.started(cfg -> cfg.withMqtt(new MqttConfig(null, null, null, null,
                null, null, 1, null, null, null, null, null, null, null, null, null, null)));
                RawClient c = RawClient.connect(limited.port(), connectPacket(MqttVersion.V5, "ka-enforced", true,
                        null, 60, null))) {
            assertThat(c.expect(ConnackPacket.class).properties().serverKeepAlive()).isEqualTo(1);
            expectDisconnectOrClose(c, ReasonCode.KEEP_ALIVE_TIMEOUT); // after 1.5 s, not 90 s
        }
    }

    @Test
    @DisplayName("5.0 Keep Alive within the server's maximum: no Server Keep Alive, the client's value stands [MQTT-3.2.2-22]")
    void noServerKeepAliveWhenWithinLimit() {
        try (RawClient c = RawClient.connect(broker.port(), connectPacket(MqttVersion.V5, "ka-own", true, null, 60,
                null))) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().serverKeepAlive()).isNull();
        }
    }
}
