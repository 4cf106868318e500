package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Between CONNECT and CONNACK the broker decides (authentication, attaching the session) and holds
 * what the client sends meanwhile; it stops reading, so that a client cannot make it hold more than
 * one read's worth, however much it sends.
 */
class PreConnackReadingConformanceTest {
    /** An authenticator that never decides: the connection stays before CONNACK (until its deadline). */
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c, b -> b.authenticator(a -> new CompletableFuture<>()));

    @Test
    @DisplayName("While authentication is pending, the broker stops reading: 150 MB sent after CONNECT are not taken")
    void readingPausesWhileAuthenticationIsPending() throws Exception {
        long before = broker.broker().metrics().bytesReceived.sum();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", broker.port()));
            OutputStream out = s.getOutputStream();
            out.write(Conformance.bytes(new ConnectPacket(MqttVersion.V5, true, 0, "pre-connack", null, null, null,
                    Properties.EMPTY), MqttVersion.V5));
            byte[] big = Conformance.bytes(new PublishPacket("pre/connack", 0, false, false, 0, Properties.EMPTY,
                    Payload.wrap(new byte[1_000_000])), MqttVersion.V5);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 150; i++) {
                        out.write(big);
                    }
                } catch (Exception e) {
                    // closed by the test or the broker
                }
            }, "pre-connack-writer");
            writer.setDaemon(true);
            writer.start();
            // The broker reads at most a few reads' worth; the rest stays in the client's socket.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().metrics().bytesReceived.sum() - before < 32_000_000L);
            assertThat(writer.isAlive()).as("the writer is blocked: the broker does not take its bytes").isTrue();
        }
    }
}
