package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.disconnect;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The queue of an offline session under the {@code sessions.*} settings (3.1.1 and 5.0 section 4.1:
 * what the server stores for a session). The defaults are in {@link SessionConformanceTest}.
 */
class SessionQueueConformanceTest {

    private static RawClient publisher(EmbeddedBroker b, MqttVersion v, String name) {
        return connect(b, connectPacket(v, "sq-pub-" + name + "-" + v, true, null, 0, null), false);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("sessions.queueQos0 true: QoS 0 messages published while the session is offline are delivered on "
            + "resume, in order with QoS 1 (3.1.1 [MQTT-3.1.2-5] MAY, 5.0 section 4.1)")
    void qos0QueuedWhenEnabled(MqttVersion v) {
        try (EmbeddedBroker b = EmbeddedBroker.started(cfg -> cfg.withSessions(new SessionConfig(null, null, null,
                null, true)))) {
            BrokerMetrics metrics = b.broker().metrics();
            String id = "sq-qos0-" + v;
            String topic = "sq/qos0/" + v;
            try (RawClient c = connect(b, persistent(v, id, false), false)) {
                subscribe(c, 1, topic, 1);
                disconnect(c);
            }
            awaitOffline(b, id);
            try (RawClient pub = publisher(b, v, "qos0")) {
                publish(pub, topic, 0, 0, "a0");
                publish(pub, topic, 1, 1, "b1");
                publish(pub, topic, 0, 0, "c0");
            }
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                assertThat(receive(c, topic, "a0").qos()).isZero();
                assertThat(receive(c, topic, "b1").qos()).isEqualTo(1);
                assertThat(receive(c, topic, "c0").qos()).isZero();
                c.expectNothingMore();
            }
            assertThat(metrics.droppedOfflineQos0.sum()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("sessions.maxQueuedBytes 300: a message that would pass the bound is dropped and counted, a later one "
            + "that fits is kept; on resume exactly those that fit arrive, in order")
    void queueByteBound(MqttVersion v) {
        try (EmbeddedBroker b = EmbeddedBroker.started(cfg -> cfg.withSessions(new SessionConfig(null, null, null,
                300L, null)))) {
            BrokerMetrics metrics = b.broker().metrics();
            String id = "sq-bytes-" + v;
            // 10 characters in both versions: a message weighs its payload + 10 + 64 bytes.
            String topic = "sq/bytes/" + (v.isV5() ? "5" : "4");
            try (RawClient c = connect(b, persistent(v, id, false), false)) {
                subscribe(c, 1, topic, 1);
                disconnect(c);
            }
            awaitOffline(b, id);
            String m1 = "1".repeat(100); // 174: queued (174)
            String m2 = "2".repeat(100); // 174: 348 > 300, dropped
            String m3 = "3".repeat(50); //  124: queued (298)
            String m4 = "4".repeat(10); //   84: 382 > 300, dropped
            try (RawClient pub = publisher(b, v, "bytes")) {
                publish(pub, topic, 1, 1, m1);
                publish(pub, topic, 1, 2, m2);
                publish(pub, topic, 1, 3, m3);
                publish(pub, topic, 1, 4, m4);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics.droppedQueueFull.sum() == 2);
            try (RawClient c = connect(b, persistent(v, id, false), true)) {
                receive(c, topic, m1);
                receive(c, topic, m3);
                c.expectNothingMore();
            }
            assertThat(metrics.droppedQueueFull.sum()).isEqualTo(2);
        }
    }

    /**
     * The broker has detached the session: its socket closing is seen by the client first, and a
     * message routed in between is an online delivery, not one queued for an offline session.
     */
    private static void awaitOffline(EmbeddedBroker b, String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.broker().sessions().get(id).online());
    }
}
