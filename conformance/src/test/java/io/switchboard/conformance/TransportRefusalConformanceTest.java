package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.bytes;
import static io.switchboard.conformance.Conformance.concat;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static io.switchboard.conformance.Conformance.publishPacket;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestPki;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * [MQTT-4.13.1-1] over TLS, WebSocket and WebSocket over TLS: a refused client reads the reason
 * code (CONNACK or DISCONNECT) before the connection ends. TLS ends with close_notify, WebSocket
 * with a Close frame (status 1000, RFC 6455 section 7), so that a client sees an orderly end rather
 * than a reset that would discard the unread reason code.
 */
class TransportRefusalConformanceTest {
    static final TestPki pki = TestPki.create();

    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, port: 0}
              - name: tls
                type: tls
                port: 0
                tls: {certificate: "%1$s", key: "%2$s"}
              - {name: ws, type: ws, port: 0}
              - name: wss
                type: wss
                port: 0
                tls: {certificate: "%1$s", key: "%2$s"}
            """.formatted(pki.server().certificate(), pki.server().key()));

    private static RawClient open(String transport, MqttVersion v) {
        return switch (transport) {
            case "tls" -> RawClient.openTls(broker.port("tls"), v, pki.clientContext(null));
            case "ws" -> RawClient.openWebSocket(broker.port("ws"), "/mqtt", v, null);
            case "wss" -> RawClient.openWebSocket(broker.port("wss"), "/mqtt", v, pki.clientContext(null));
            default -> throw new IllegalArgumentException(transport);
        };
    }

    /** WebSocket connections end with a Close frame, status 1000 (normal closure). */
    private static void expectOrderlyEnd(String transport, RawClient c) {
        if (transport.startsWith("ws")) {
            assertThat(c.webSocketCloseStatus()).as("status of the broker's WebSocket Close frame").isEqualTo(1000);
        }
    }

    /** A CONNECT with protocol name MQTT and the given level, client id "raw". */
    private static byte[] rawConnect(int level) {
        byte[] body = {0, 4, 'M', 'Q', 'T', 'T', (byte) level, 0x02, 0x00, 0x3C, 0x00, 0x03, 'r', 'a', 'w'};
        return concat(new byte[] {0x10, (byte) body.length}, body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "ws", "wss"})
    @DisplayName("unsupported protocol level: CONNACK 0x01 is read before the orderly end [MQTT-3.1.2-2]")
    void unsupportedProtocolLevel(String transport) {
        try (RawClient c = open(transport, MqttVersion.V3_1_1)) {
            c.sendBytes(rawConnect(6));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            expectClosedWithoutPacket(c);
            expectOrderlyEnd(transport, c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "ws", "wss"})
    @DisplayName("5.0, a second CONNECT: DISCONNECT 0x82 is read before the orderly end [MQTT-3.1.0-2]")
    void secondConnectV5(String transport) {
        MqttVersion v = MqttVersion.V5;
        try (RawClient c = open(transport, v)) {
            c.send(connectPacket(v, "twice-" + transport, true, null, 0, null));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            c.send(connectPacket(v, "twice-" + transport, true, null, 0, null));
            DisconnectPacket d = c.expect(DisconnectPacket.class);
            assertThat(d.reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
            assertThat(d.properties().reasonString()).contains("second CONNECT");
            expectClosedWithoutPacket(c);
            expectOrderlyEnd(transport, c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "ws", "wss"})
    @DisplayName("3.1.1, a second CONNECT: closed without a packet, still in order [MQTT-3.1.0-2]")
    void secondConnectV311(String transport) {
        MqttVersion v = MqttVersion.V3_1_1;
        try (RawClient c = open(transport, v)) {
            c.send(connectPacket(v, "twice311-" + transport, true, null, 0, null));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            c.send(connectPacket(v, "twice311-" + transport, true, null, 0, null));
            expectClosedWithoutPacket(c);
            expectOrderlyEnd(transport, c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls", "ws", "wss"})
    @DisplayName("5.0: a client still sending after its refusal reads the DISCONNECT, then the end")
    void refusedClientThatKeepsSendingReadsTheReasonCode(String transport) {
        MqttVersion v = MqttVersion.V5;
        String id = "still-sending-" + transport;
        // After CONNACK, a second CONNECT (refused) and right behind it 600 kB more in the same
        // write, so the broker still has input it has not read when it refuses.
        byte[] more = bytes(publishPacket("refusal/t", 0, false, 0, "x".repeat(200_000)), v);
        byte[] all = concat(bytes(connectPacket(v, id, true, null, 0, null), v), more, more, more);
        try (RawClient c = open(transport, v)) {
            c.send(connectPacket(v, id, true, null, 0, null));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            Thread writer = new Thread(() -> {
                try {
                    c.sendBytes(all);
                } catch (AssertionError e) {
                    // the broker may close before it has read everything: what matters is what we read
                }
            }, "still-sending-writer");
            writer.setDaemon(true);
            writer.start();
            List<MqttPacket> packets = c.receiveUntilClosed();
            assertThat(packets).hasSize(1);
            assertThat(((DisconnectPacket) packets.get(0)).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
            expectOrderlyEnd(transport, c);
        }
    }
}
