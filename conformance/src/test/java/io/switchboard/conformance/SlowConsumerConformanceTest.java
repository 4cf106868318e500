package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops reading cannot make the broker buffer without bound: past
 * {@code mqtt.maxOutboundBytes} its QoS 0 messages are dropped and counted, and other clients are
 * not affected.
 */
class SlowConsumerConformanceTest {
    private static final int MESSAGES = 4000;
    private static final int PAYLOAD = 4096;

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg.withMqtt(
            new MqttConfig(null, null, null, null, null, null, null, null, null, 64 * 1024, null, null, null, null, null, null, null)));

    @Test
    @DisplayName("QoS 0 to a client that does not read is dropped and counted past maxOutboundBytes; others stay served")
    void qos0ToAStalledClientIsDroppedAndCounted() throws IOException {
        try (Socket stalled = new Socket();
                RawClient healthy = RawClient.connect(broker.port(), MqttVersion.V5, "slow-healthy");
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "slow-pub")) {
            // A subscriber that never reads: a small receive buffer, CONNECT and SUBSCRIBE written raw.
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", broker.port()));
            stalled.getOutputStream().write(Conformance.concat(
                    Conformance.bytes(new ConnectPacket(MqttVersion.V5, true, 0, "slow-stalled", null, null, null,
                            Properties.EMPTY), MqttVersion.V5),
                    Conformance.bytes(new SubscribePacket(1, List.of(new TopicSubscription("slow/t", 0)),
                            Properties.EMPTY), MqttVersion.V5)));
            healthy.send(new SubscribePacket(1, List.of(new TopicSubscription("slow/t", 0),
                    new TopicSubscription("slow/marker", 1)), Properties.EMPTY));
            assertThat(healthy.expect(SubackPacket.class).reasonCodes())
                    .containsExactly(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().subscriptions().size() == 3);

            long droppedBefore = broker.broker().metrics().droppedSlowConsumer.sum();
            Payload payload = Payload.wrap(new byte[PAYLOAD]);
            for (int i = 0; i < MESSAGES; i++) {
                pub.send(new PublishPacket("slow/t", 0, false, false, 0, Properties.EMPTY, payload));
            }
            // 16 MB went towards a socket that reads nothing: most of it cannot have been buffered.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> broker.broker().metrics().droppedSlowConsumer.sum() > droppedBefore);
            // The publisher and a reading subscriber are still served: a QoS 1 message after the flood
            // (never dropped for slowness) reaches the reader, after whatever QoS 0 messages it kept up with.
            Conformance.publishQos1(pub, "slow/marker", false, "after the flood");
            PublishPacket p;
            do {
                p = healthy.expect(PublishPacket.class);
            } while (!p.topic().equals("slow/marker"));
            assertThat(p.payload().toUtf8String()).isEqualTo("after the flood");
            pub.expectNothingMore();
        }
    }
}
