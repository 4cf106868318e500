package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.config.StorageConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.testkit.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A listener's own bounds, so that connections that never send CONNECT, or that open and close in
 * a loop, cannot exhaust the broker: a refused connection is closed at once, before any MQTT, and
 * counted; the others are served as usual.
 */
class ListenerBoundsConformanceTest {

    private static Broker start(ListenerConfig listener, Clock clock) {
        return Broker.builder(new BrokerConfig(List.of(listener), null, null, 2)
                .withStorage(StorageConfig.memory())).clock(clock).start();
    }

    private static ListenerConfig listener(Integer maxConnections, Integer maxPending, Integer rate) {
        return new ListenerConfig("bounded", "tcp", "127.0.0.1", 0, null, null, maxConnections, maxPending, rate);
    }

    /** A socket the broker closed without a byte: read returns end of stream. */
    private static void assertClosedByBroker(Socket s) throws IOException {
        s.setSoTimeout((int) RawClient.TIMEOUT.toMillis());
        InputStream in = s.getInputStream();
        assertThat(in.read()).as("closed by the broker, nothing sent").isEqualTo(-1);
    }

    @Test
    @DisplayName("listeners[].maxPendingConnects: beyond it a new connection is closed; after CONNECT it no longer counts")
    void pendingConnectsAreBounded() throws Exception {
        try (Broker b = start(listener(null, 2, null), Clock.systemUTC());
                Socket first = new Socket("127.0.0.1", b.port());
                Socket second = new Socket("127.0.0.1", b.port())) {
            org.awaitility.Awaitility.await().atMost(RawClient.TIMEOUT)
                    .until(() -> b.metrics().connectionsOpened.sum() == 2);
            try (Socket third = new Socket("127.0.0.1", b.port())) {
                assertClosedByBroker(third);
            }
            assertThat(b.metrics().connectionsRejected.sum()).isEqualTo(1);
            // A client that sends CONNECT frees its place for the next one.
            RawClientSockets.connect(first, "bounds-first");
            try (Socket fourth = RawClientSockets.connected(b.port(), "bounds-fourth")) {
                assertThat(b.metrics().connectionsRejected.sum()).isEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName("listeners[].maxConnections: beyond it a new connection is closed at once; a connected client is unaffected")
    void openConnectionsAreBounded() throws Exception {
        try (Broker b = start(listener(2, null, null), Clock.systemUTC());
                RawClient one = RawClient.connect(b.port(), MqttVersion.V5, "bounds-one");
                RawClient two = RawClient.connect(b.port(), MqttVersion.V5, "bounds-two");
                Socket three = new Socket("127.0.0.1", b.port())) {
            assertClosedByBroker(three);
            one.expectNothingMore();
            two.expectNothingMore();
            assertThat(b.metrics().connectionsRejected.sum()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("listeners[].maxConnectionRate: beyond it, new connections in the same second are closed at once")
    void connectionRateIsBounded() throws Exception {
        // A clock that does not move: every connection falls in the same second.
        Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<Socket> sockets = new ArrayList<>();
        try (Broker b = start(listener(null, null, 3), frozen)) {
            for (int i = 0; i < 3; i++) {
                sockets.add(RawClientSockets.connected(b.port(), "rate-" + i));
            }
            try (Socket fourth = new Socket("127.0.0.1", b.port())) {
                assertClosedByBroker(fourth);
            }
            assertThat(b.metrics().connectionsRejected.sum()).isEqualTo(1);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** A 3.1.1 connection that has sent CONNECT and read its CONNACK, as a plain socket. */
    private static final class RawClientSockets {
        static Socket connected(int port, String clientId) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            connect(s, clientId);
            return s;
        }

        static void connect(Socket s, String clientId) throws IOException {
            s.setSoTimeout((int) RawClient.TIMEOUT.toMillis());
            byte[] id = clientId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] body = new byte[10 + 2 + id.length];
            byte[] head = {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0};
            System.arraycopy(head, 0, body, 0, head.length);
            body[10] = 0;
            body[11] = (byte) id.length;
            System.arraycopy(id, 0, body, 12, id.length);
            s.getOutputStream().write(new byte[] {0x10, (byte) body.length});
            s.getOutputStream().write(body);
            byte[] connack = s.getInputStream().readNBytes(4);
            assertThat(connack).containsExactly(0x20, 2, 0, 0);
        }
    }
}
