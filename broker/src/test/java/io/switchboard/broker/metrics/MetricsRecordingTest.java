package io.switchboard.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.Broker;
import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the broker records in {@link BrokerMetrics} as clients use it: a real broker on a loopback
 * port, driven packet by packet. Nothing waits on time: counters updated on an event loop are read
 * with Awaitility until they settle, and a client knows it has everything when its PINGREQ is answered.
 */
class MetricsRecordingTest {
    private static final Duration SETTLE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static Broker start(String storage, String extra) {
        return Broker.start(ConfigLoader.parse("""
                listeners:
                  - port: 0
                eventLoopThreads: 2
                sys: {interval: 0}
                %s
                %s
                """.formatted(storage, extra), "test"));
    }

    private String rocksdb() {
        return "storage: {type: rocksdb, dataDir: \"" + dir.resolve("data") + "\", durability: sync}";
    }

    @Test
    void messagesBytesDeliveriesAndLatencyAreCountedPerQos() throws Exception {
        try (Broker broker = start("storage: memory", "")) {
            BrokerMetrics m = broker.metrics();
            int port = broker.port();
            try (LoopbackClient five = LoopbackClient.connect(port, MqttVersion.V5, "sub-5");
                    LoopbackClient three = LoopbackClient.connect(port, MqttVersion.V3_1_1, "sub-3");
                    LoopbackClient pub = LoopbackClient.connect(port, MqttVersion.V5, "pub")) {
                five.subscribe(1, "m/#", 2);
                three.subscribe(1, "m/#", 0);
                pub.publish("m/a", 0, 0, "abc", false);
                pub.publish("m/b", 1, 1, "abcde", false);
                pub.publish("m/c", 2, 2, "abcdefg", false);
                assertThat(five.receiveAcknowledging(3)).extracting(PublishPacket::qos).containsExactly(0, 1, 2);
                assertThat(three.receiveAcknowledging(3)).extracting(PublishPacket::qos).containsExactly(0, 0, 0);

                await().atMost(SETTLE).untilAsserted(() -> {
                    assertThat(m.messagesReceived).hasToString("[1, 1, 1]");
                    assertThat(m.payloadBytesReceived).hasToString("[3, 5, 7]");
                    // The 5.0 subscriber at the message's QoS, the 3.1.1 one all at QoS 0.
                    assertThat(m.messagesSent).hasToString("[4, 1, 1]");
                    assertThat(m.payloadBytesSent).hasToString("[" + (3 + 3 + 5 + 7) + ", 5, 7]");
                    assertThat(m.deliveries.sum()).isEqualTo(6);
                    assertThat(m.publishLatency.snapshot().count()).isEqualTo(6);
                });
                BucketHistogram.Snapshot latency = m.publishLatency.snapshot();
                assertThat(latency.sum()).isPositive();
                assertThat(latency.cumulativeCounts()[latency.counts().length - 1]).isEqualTo(6);
                Map<String, String> sys = broker.sys().snapshot();
                assertThat(sys).containsEntry("messages/received", "3").containsEntry("messages/sent", "6");

                // A retained message sent on SUBSCRIBE, long after it was published, is counted as sent
                // but its age is no delivery latency; neither is a Will, which the broker publishes.
                pub.publish("m/retained", 1, 3, "r", true);
                five.receiveAcknowledging(1);
                three.receiveAcknowledging(1);
                await().atMost(SETTLE).until(() -> m.publishLatency.snapshot().count() == 8);
                try (LoopbackClient late = LoopbackClient.connect(port, MqttVersion.V5, "late")) {
                    late.subscribe(1, "m/retained", 1);
                    assertThat(late.receiveAcknowledging(1)).extracting(PublishPacket::retain).containsExactly(true);
                }
                LoopbackClient willing = LoopbackClient.connect(port, MqttVersion.V5, "willing", true, 0, null,
                        new Will("m/will", Payload.utf8("gone"), 1, false, Properties.EMPTY));
                willing.close(); // no DISCONNECT: the Will is published
                await().atMost(SETTLE).until(() -> m.deliveries.sum() == 6 + 2 + 2);
                assertThat(five.receiveAcknowledging(1)).extracting(PublishPacket::topic).containsExactly("m/will");
                assertThat(three.receiveAcknowledging(1)).extracting(PublishPacket::topic).containsExactly("m/will");
                await().atMost(SETTLE).untilAsserted(() -> {
                    assertThat(m.messagesReceived).hasToString("[1, 2, 1]");
                    // Since: the retained message live to both and on SUBSCRIBE to late, the Will to both.
                    assertThat(m.messagesSent).hasToString("[6, 4, 1]");
                    assertThat(m.publishLatency.snapshot().count()).isEqualTo(8);
                });
            }
        }
    }

    @Test
    void refusingConnacksAreCountedByReasonCode() throws Exception {
        try (Broker broker = Broker.builder(ConfigLoader.parse("""
                listeners:
                  - port: 0
                eventLoopThreads: 1
                sys: {interval: 0}
                storage: memory
                """, "test")).authenticator(a -> CompletableFuture.completedFuture("bad".equals(a.username())
                        ? new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong password")
                        : AuthOutcome.success())).start()) {
            BrokerMetrics m = broker.metrics();
            int port = broker.port();
            for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
                try (LoopbackClient c = LoopbackClient.open(port, new ConnectPacket(v, true, 0, "bad-" + v, null, "bad",
                        "x".getBytes(StandardCharsets.UTF_8), Properties.EMPTY))) {
                    assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
                    c.expectClosed();
                }
            }
            // 3.1.1: a client that wants its session kept must have a client id (return code 2, 0x85).
            try (LoopbackClient c = LoopbackClient.open(port, new ConnectPacket(MqttVersion.V3_1_1, false, 0, "", null,
                    null, null, Properties.EMPTY))) {
                assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
                c.expectClosed();
            }
            // A connection refused after CONNACK 0x00 (a DISCONNECT) is no refused connection.
            try (LoopbackClient c = LoopbackClient.connect(port, MqttVersion.V5, "ok")) {
                c.send(new PublishPacket("t", 0, false, false, 0,
                        Properties.builder().subscriptionIdentifiers(List.of(1)).build(), Payload.utf8("x")));
                c.expectClosed();
            }
            assertThat(m.connectionsRefused()).containsExactly(Map.entry(0x85, 1L), Map.entry(0x86, 2L));
        }
    }

    /**
     * The two gauges follow every way a message enters and leaves a queue or the in-flight window:
     * sent within the window (2 here), queued behind it, acknowledged (QoS 1 and 2), resent on resume,
     * handed to another member of a shared group, kept through a takeover, discarded by a clean start,
     * a session's end; and are back at 0 once every client is gone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void queuedAndInflightGaugesReturnToZero(String storage) throws Exception {
        try (Broker broker = start("memory".equals(storage) ? "storage: memory" : rocksdb(),
                "mqtt: {maxInflight: 2}")) {
            BrokerMetrics m = broker.metrics();
            int port = broker.port();
            MqttVersion v5 = MqttVersion.V5;
            MqttVersion v3 = MqttVersion.V3_1_1;
            LoopbackClient a = LoopbackClient.connect(port, v5, "a", true, 3600, null, null);
            a.subscribe(1, "f/#", 2);
            LoopbackClient b = LoopbackClient.connect(port, v3, "b", false, 1, null, null);
            b.subscribe(1, "f/#", 1);
            LoopbackClient c1 = LoopbackClient.connect(port, v5, "c1");
            c1.subscribe(1, "$share/g/f/#", 1);
            try (LoopbackClient pub = LoopbackClient.connect(port, v5, "pub")) {
                for (int i = 0; i < 6; i++) {
                    pub.publish("f/" + i, 1 + i % 2, i + 1, "m" + i, false); // QoS 1, 2, 1, 2...
                }
            }
            // Each of a, b and c1 (the only member of its group) has 2 in flight and 4 waiting.
            awaitGauges(m, 6, 12);
            a.receiveUnacknowledged(2);
            b.receiveUnacknowledged(2);
            c1.receiveUnacknowledged(2);

            // c1's session ends with its connection: its 2 QoS 1 in flight and 4 waiting go to c2.
            LoopbackClient c2 = LoopbackClient.connect(port, v5, "c2");
            c2.subscribe(1, "$share/g/f/#", 1);
            c1.close();
            await().atMost(SETTLE).until(() -> broker.sessions().get("c1") == null);
            awaitGauges(m, 6, 12);

            // a loses its connection (its session stays), comes back: 2 resent, then the rest as it acknowledges.
            a.close();
            await().atMost(SETTLE).until(() -> !broker.sessions().get("a").online());
            awaitGauges(m, 6, 12);
            LoopbackClient a2 = LoopbackClient.connect(port, v5, "a", false, 3600, null, null);
            await().atMost(SETTLE).untilAsserted(() -> {
                a2.receiveAllAcknowledging();
                assertThat(m.inflightMessages.sum()).isEqualTo(4);
                assertThat(m.queuedMessages.sum()).isEqualTo(8);
            });

            // b is taken over by a connection resuming its session (all kept), then by a clean one (all discarded).
            LoopbackClient b2 = LoopbackClient.connect(port, v3, "b", false, 1, null, null);
            b.expectClosed();
            b.close();
            b2.receiveUnacknowledged(2); // the 2 in flight, sent again
            awaitGauges(m, 4, 8);
            LoopbackClient b3 = LoopbackClient.connect(port, v3, "b", true, 0, null, null);
            b2.expectClosed();
            b2.close();
            awaitGauges(m, 2, 4);

            // c2 takes everything it holds, acknowledging.
            await().atMost(SETTLE).untilAsserted(() -> {
                c2.receiveAllAcknowledging();
                assertThat(m.inflightMessages.sum()).isZero();
                assertThat(m.queuedMessages.sum()).isZero();
            });

            // More traffic that nobody acknowledges, then every client goes: a's session with a clean start.
            try (LoopbackClient pub = LoopbackClient.connect(port, v5, "pub")) {
                for (int i = 0; i < 4; i++) {
                    pub.publish("f/" + i, 1 + i % 2, i + 1, "n" + i, false);
                }
            }
            awaitGauges(m, 4, 4); // a and c2 (b's clean session subscribes to nothing): 2 in flight, 2 waiting each
            a2.close();
            c2.close();
            b3.close();
            LoopbackClient.connect(port, v5, "a", true, 0, null, null).close();
            await().atMost(SETTLE).until(() -> broker.sessions().size() == 0);
            awaitGauges(m, 0, 0);
        }
    }

    /**
     * After a restart the gauges count what was read back (QoS 2 in flight under their stored packet
     * ids, the rest queued), and fall to 0 as the client takes it; a message read back from storage
     * has no receive time, so its sending records no latency.
     */
    @Test
    void gaugesCountWhatARestartReadsBackAndRecoveredMessagesRecordNoLatency() throws Exception {
        String config = rocksdb();
        try (Broker broker = start(config, "mqtt: {maxInflight: 2}")) {
            int port = broker.port();
            LoopbackClient sub = LoopbackClient.connect(port, MqttVersion.V5, "keeper", true, 3600, null, null);
            sub.subscribe(1, "k/#", 2); // QoS 2: the packet ids in flight are stored, so they come back in flight
            try (LoopbackClient pub = LoopbackClient.connect(port, MqttVersion.V5, "writer")) {
                for (int i = 1; i <= 5; i++) {
                    pub.publish("k/" + i, 2, i, "x", false);
                }
            }
            sub.receiveUnacknowledged(2);
            awaitGauges(broker.metrics(), 2, 3);
            sub.close();
        }
        try (Broker broker = start(config, "mqtt: {maxInflight: 2}")) {
            BrokerMetrics m = broker.metrics();
            awaitGauges(m, 2, 3);
            LoopbackClient sub = LoopbackClient.connect(broker.port(), MqttVersion.V5, "keeper", false, 3600, null, null);
            assertThat(sub.receiveAcknowledging(5)).hasSize(5);
            await().atMost(SETTLE).untilAsserted(() -> {
                sub.receiveAllAcknowledging(); // a PUBREL goes once its PUBREC is stored: it may come late
                assertThat(m.inflightMessages.sum()).isZero();
                assertThat(m.queuedMessages.sum()).isZero();
            });
            assertThat(m.messagesSent.sum(2)).isEqualTo(5); // 2 resent (DUP), 3 sent the first time
            assertThat(m.publishLatency.snapshot().count()).isZero();
            sub.close();
        }
    }

    private static void awaitGauges(BrokerMetrics m, long inflight, long queued) {
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(m.inflightMessages.sum()).as("in flight").isEqualTo(inflight);
            assertThat(m.queuedMessages.sum()).as("queued").isEqualTo(queued);
        });
    }

    @Test
    void rocksdbRecordsEachGroupWriteAndItsBatches() throws Exception {
        try (Broker broker = start(rocksdb(), "")) {
            BrokerMetrics m = broker.metrics();
            int port = broker.port();
            try (LoopbackClient sub = LoopbackClient.connect(port, MqttVersion.V5, "keeper", true, 3600, null, null);
                    LoopbackClient pub = LoopbackClient.connect(port, MqttVersion.V5, "writer")) {
                sub.subscribe(1, "s/#", 1);
                for (int i = 1; i <= 20; i++) {
                    pub.publish("s/" + i, 1, i, "x", false); // each PUBACK waits for its batch's fsync
                }
                assertThat(sub.receiveAcknowledging(20)).hasSize(20);
            }
            BucketHistogram.Snapshot writes = m.storageWriteNanos.snapshot();
            BucketHistogram.Snapshot batches = m.storageGroupBatches.snapshot();
            assertThat(writes.count()).isPositive();
            assertThat(writes.sum()).isPositive();
            // At least the subscription and the 20 publishers' batches, some maybe in one group.
            assertThat(batches.sum()).isGreaterThanOrEqualTo(21);
            assertThat(batches.count()).isLessThanOrEqualTo(batches.sum());
        }
    }

    @Test
    void memoryStorageRecordsNoWrites() throws Exception {
        try (Broker broker = start("storage: memory", "")) {
            try (LoopbackClient pub = LoopbackClient.connect(broker.port(), MqttVersion.V5, "writer")) {
                pub.publish("s/1", 1, 1, "x", false);
            }
            assertThat(broker.metrics().storageWriteNanos.snapshot().count()).isZero();
            assertThat(broker.metrics().storageGroupBatches.snapshot().count()).isZero();
        }
    }
}
