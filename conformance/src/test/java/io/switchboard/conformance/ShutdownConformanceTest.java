package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Broker shutdown: 5.0 section 3.14.2.1 (0x8B Server shutting down); every test stops its own broker. */
class ShutdownConformanceTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("broker shutdown: 5.0 DISCONNECT 0x8B Server shutting down then close (3.14.2.1), "
            + "3.1.1 closed without a packet")
    void shutdownDisconnects(MqttVersion v) {
        try (EmbeddedBroker b = EmbeddedBroker.started(cfg -> cfg);
                RawClient c = connect(b, connectPacket(v, "sd-bye-" + v, true, null, 0, null), false)) {
            c.expectNothingMore();
            b.close();
            expectDisconnectOrClose(c, ReasonCode.SERVER_SHUTTING_DOWN);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("broker shutdown publishes no Will (broker policy; a lost connection's Will does reach the watcher)")
    void noWillAtShutdown(MqttVersion v) {
        String topic = "sd/will/" + v;
        try (EmbeddedBroker b = EmbeddedBroker.started(cfg -> cfg);
                // Persistent QoS 0 watcher: a Will routed to it is either sent (messagesSent) or, once it is
                // offline, dropped and counted (droppedOfflineQos0), so the metrics see any Will.
                RawClient watcher = connect(b, persistent(MqttVersion.V3_1_1, "sd-watch-" + v, false), false)) {
            subscribe(watcher, 1, topic, 0);
            // Control: the Will of a lost connection reaches the watcher.
            RawClient lost = connect(b, connectPacket(v, "sd-lost-" + v, true, null, 0, will(topic, "control")),
                    false);
            lost.close();
            expectPublish(watcher, topic, "control");
            try (RawClient c = connect(b, connectPacket(v, "sd-will-" + v, true, null, 0, will(topic, "must-not")),
                    false)) {
                c.expectNothingMore();
                watcher.expectNothingMore();
                BrokerMetrics metrics = b.broker().metrics();
                long sent = metrics.messagesSent.total();
                long dropped = metrics.droppedTotal();
                b.close();
                assertThat(watcher.receiveUntilClosed()).as("packets the watcher got at shutdown")
                        .noneMatch(p -> p instanceof PublishPacket);
                expectDisconnectOrClose(c, ReasonCode.SERVER_SHUTTING_DOWN);
                assertThat(metrics.messagesSent.total()).as("PUBLISHes sent during shutdown").isEqualTo(sent);
                assertThat(metrics.droppedTotal()).as("messages dropped during shutdown").isEqualTo(dropped);
            }
        }
    }

    private static Will will(String topic, String payload) {
        return new Will(topic, Payload.utf8(payload), 0, false, Properties.EMPTY);
    }
}
