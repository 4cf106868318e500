package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectDisconnect;
import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packets a client may not send after CONNECT: AUTH without an Authentication Method (5.0 section
 * 4.12) and the packets only a server sends (sections 3.2, 3.9, 3.11, 3.13).
 */
class UnexpectedPacketConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    @DisplayName("5.0 AUTH after a CONNECT without Authentication Method: DISCONNECT 0x82 Protocol Error "
            + "[MQTT-4.12.0-7] (section 4.12)")
    void authWithoutAuthenticationMethod() {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "up-auth")) {
            c.send(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, Properties.builder()
                    .authenticationMethod("SCRAM-SHA-1").build()));
            expectDisconnect(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    static Stream<Arguments> serverOnlyPackets() {
        return Stream.of(MqttVersion.V3_1_1, MqttVersion.V5).flatMap(v -> Stream.of(
                Arguments.of(v, "CONNACK", new ConnackPacket(false, ReasonCode.SUCCESS, Properties.EMPTY)),
                Arguments.of(v, "SUBACK", new SubackPacket(1, List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY)),
                Arguments.of(v, "UNSUBACK", new UnsubackPacket(1, v.isV5() ? List.of(ReasonCode.SUCCESS) : List.of(),
                        Properties.EMPTY)),
                Arguments.of(v, "PINGRESP", PingrespPacket.INSTANCE)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serverOnlyPackets")
    @DisplayName("a packet only a server sends, from a client: 5.0 DISCONNECT 0x82 Protocol Error, 3.1.1 close "
            + "([MQTT-4.8.0-1] 3.1.1, [MQTT-4.13.1-1] 5.0)")
    void serverOnlyPacketFromClient(MqttVersion v, String name, MqttPacket packet) {
        try (RawClient c = RawClient.connect(broker.port(), v, "up-" + name + "-" + v)) {
            c.expectNothingMore();
            c.send(packet);
            expectDisconnectOrClose(c, ReasonCode.PROTOCOL_ERROR);
        }
    }
}
