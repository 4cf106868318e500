package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publishers wait for a subscriber that is behind, and are woken whenever it stops holding them
 * back: when it reads again, is declared slow, disconnects, or its session is taken over. Here a
 * subscriber is never declared slow (a timeout of ten minutes), so only the event under test can
 * wake the publisher; each test waits on a condition, never on the clock.
 */
class FairnessConformanceTest {
    private static final Payload PAYLOAD = Payload.wrap(new byte[4096]);

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg.withMqtt(Conformance.mqtt(
            "maxOutboundBytes: 65536", "slowSubscriberTimeoutMillis: 600000")));

    /** A persistent 5.0 subscriber to {@code topic} that never reads (a small receive buffer). */
    private static Socket stalledSubscriber(String clientId, String topic) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", broker.port()));
        s.getOutputStream().write(Conformance.concat(
                Conformance.bytes(Conformance.persistent(MqttVersion.V5, clientId, true), MqttVersion.V5),
                Conformance.bytes(new SubscribePacket(1, List.of(new TopicSubscription(topic, 0)), Properties.EMPTY),
                        MqttVersion.V5)));
        return s;
    }

    /**
     * Publishes 4,000 QoS 0 messages of 4 KiB (16 MB towards a subscriber held back at 64 KiB): the
     * broker stops reading the publisher while its subscriber is behind, so this blocks until then.
     */
    private static void floodUntilPaused(RawClient pub, String topic) {
        try {
            for (int i = 0; i < 4000; i++) {
                pub.send(new PublishPacket(topic, 0, false, false, 0, Properties.EMPTY, PAYLOAD));
            }
        } catch (AssertionError closed) {
            // the test ended and closed the publisher while it was still blocked: what the test checks
        }
    }

    @Test
    @DisplayName("A publisher waiting for a subscriber that is behind is woken when another connection takes"
            + " the subscriber's session over")
    void takeoverWakesWaitingPublishers() throws Exception {
        String topic = "fair/takeover";
        try (Socket stalled = stalledSubscriber("fair-sub", topic);
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "fair-pub")) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Interop.subscribers(broker, topic) == 1);
            // The flood runs on its own thread: once the broker stops reading the publisher, its writes block.
            Thread flood = new Thread(() -> floodUntilPaused(pub, topic), "fair-flood");
            flood.setDaemon(true);
            flood.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().sessions().get("fair-sub").congested());
            ConnectPacket resume = Conformance.persistent(MqttVersion.V5, "fair-sub", false);
            try (RawClient taker = Conformance.connect(broker, resume, true)) {
                // The publisher is read again: the rest of its flood goes through, and its PINGREQ is answered.
                flood.join(Duration.ofSeconds(30).toMillis()); // a bound, not a wait: it ends when the flood does
                assertThat(flood.isAlive()).as("the publisher is still not read").isFalse();
                pub.send(PingreqPacket.INSTANCE);
                Object p;
                do {
                    p = pub.receive();
                } while (!(p instanceof PingrespPacket));
                assertThat(p).isInstanceOf(PingrespPacket.class);
            }
        }
    }

    @Test
    @DisplayName("A subscriber that neither reads nor sends is closed by its keep alive, although the broker"
            + " stopped reading it because of its backlog [MQTT-3.1.2-22]; its publishers go on")
    void keepAliveClosesASubscriberThatIsBehindAndSilent() throws Exception {
        String topic = "fair/silent";
        try (Socket stalled = new Socket();
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "fair-pub-2")) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", broker.port()));
            stalled.getOutputStream().write(Conformance.concat(
                    Conformance.bytes(new ConnectPacket(MqttVersion.V5, true, 3, "fair-silent", null, null, null,
                            Properties.builder().sessionExpiryInterval(300L).build()), MqttVersion.V5),
                    Conformance.bytes(new SubscribePacket(1, List.of(new TopicSubscription(topic, 0)),
                            Properties.EMPTY), MqttVersion.V5)));
            await().atMost(Duration.ofSeconds(10)).until(() -> Interop.subscribers(broker, topic) == 1);
            Thread flood = new Thread(() -> floodUntilPaused(pub, topic), "fair-flood-2");
            flood.setDaemon(true);
            flood.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().sessions().get("fair-silent").congested());
            // Keep alive 3 s: closed 4.5 s after its last packet, although the broker no longer reads it.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !broker.broker().sessions().get("fair-silent").online());
            flood.join(Duration.ofSeconds(30).toMillis());
            assertThat(flood.isAlive()).as("the publisher is still not read").isFalse();
        }
    }

    /** Subscriptions matching a topic, for waiting on a SUBSCRIBE written raw. */
    private static final class Interop {
        static int subscribers(EmbeddedBroker b, String topic) {
            int[] n = {0};
            b.broker().subscriptions().match(topic, s -> n[0]++, g -> n[0]++);
            return n[0];
        }
    }
}
