package io.switchboard.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.netty.util.ResourceLeakDetector;
import io.switchboard.broker.Broker;
import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input: a stream of broken and random packets over many connections, for 3.1, 3.1.1 and
 * 5.0, as the first packet and after a valid CONNECT, while well-behaved clients exchange numbered
 * QoS 1 messages. The broker must refuse each broken packet the way the specification says
 * (section 4.13: close, with a reason code where it can), log no ERROR, lose, duplicate or reorder no
 * well-behaved message, close every fuzz connection, and serve a new client afterwards.
 *
 * <p>System properties: {@code fuzz.packets} (broken packets to send; 100,000 by default),
 * {@code fuzz.seed} (to replay a run: every connection's bytes follow from it and the connection's
 * index), {@code fuzz.connections} (concurrent fuzz connections; 32), {@code fuzz.maxSeconds} (the
 * hard stop, which fails the test if the target is not reached; 180). The 1,000,000-packet run and
 * its result are in docs/compatibility.md.
 */
class ProtocolFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    private static final long PACKETS = Long.getLong("fuzz.packets", 100_000);
    private static final int CONCURRENCY = Integer.getInteger("fuzz.connections", 32);
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("fuzz.maxSeconds", 180));
    /** Numbered messages each well-behaved publisher sends at least. */
    private static final long MESSAGES = 2_000;
    private static final Pattern PORT = Pattern.compile("/127\\.0\\.0\\.1:(\\d+)");

    /**
     * Fuzz connections take over each other's sessions (their client ids come from a pool of 64), and
     * some ask for sessions that never expire with mutated or assigned client ids: a session expiry
     * of at most 5 s keeps their number, and the broker's memory, bounded over a million packets.
     * Everything else is the default configuration.
     */
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c.withSessions(new SessionConfig(5L, 5L, null, null, null)));

    @Test
    @DisplayName("broken and random packets on many connections: no broker error, well-behaved QoS 1 messages "
            + "neither lost, duplicated nor reordered, every fuzz connection closed, new clients served (4.13)")
    void brokerSurvivesBrokenAndRandomPackets() throws InterruptedException {
        String topic = "wb/" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        BrokerMetrics metrics = broker.broker().metrics();
        String replay = "seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + " -Dfuzz.packets=" + PACKETS + ")";
        Fuzzer fuzzer = new Fuzzer(new InetSocketAddress(broker.host(), broker.port()),
                broker.broker().config().mqtt().maxPacketSize(), SEED, PACKETS, CONCURRENCY);
        try (LogCapture logs = LogCapture.start();
                NumberedMessages numbered = NumberedMessages.start(broker.port(), topic, MESSAGES)) {
            Fuzzer.Result result = fuzzer.run(LIMIT);
            numbered.stopPublishing();
            await("numbered messages finished; " + replay).atMost(Duration.ofMinutes(2))
                    .until(() -> numbered.finished() || !numbered.failures().isEmpty());
            System.out.println(summary(replay, result, logs, broker.broker(), numbered));
            result.unansweredPlans().forEach(plan -> System.out.println("without PINGRESP for 30 s: " + plan));

            assertThat(result.problems()).as("fuzzer failures; %s", replay).isEmpty();
            assertThat(logs.problems()).as("ERROR events, Netty warnings and uncaught exceptions; %s:%n%s",
                    replay, report(logs.firstProblems(), fuzzer)).isZero();
            assertThat(numbered.failures()).as("numbered QoS 1 messages; %s", replay).isEmpty();
            // Logs stay readable under attack: lines about connections are limited per remote address
            // (10 per 10 s, plus one line saying how many were suppressed), whatever the packet count.
            long windows = result.elapsed().toSeconds() / 10 + 2;
            assertThat(logs.count(Level.INFO) + logs.count(Level.WARN))
                    .as("INFO and WARN lines (by logger: %s); %s", logs.infosByLogger(), replay)
                    .isLessThanOrEqualTo(windows * 11 + 20);
            assertThat(result.finished() && result.brokenPackets() >= PACKETS)
                    .as("%,d broken packets read by the broker within %s (target %,d); %s", result.brokenPackets(),
                            LIMIT, PACKETS, replay)
                    .isTrue();
            // Every fuzz connection is closed on the broker's side too: only the numbered clients remain.
            await("fuzz connections closed by the broker; " + replay).atMost(Duration.ofMinutes(1))
                    .until(() -> metrics.connectionsOpened.sum() - metrics.connectionsClosed.sum()
                            == numbered.connections());
        }
        newClientsAreServed(topic);
    }

    /** One line with the run's figures, for the test's output (and docs/compatibility.md). */
    private static String summary(String replay, Fuzzer.Result r, LogCapture logs, Broker context,
            NumberedMessages numbered) {
        BrokerMetrics metrics = context.metrics();
        return String.format("fuzz: %s; %,d broken and %,d valid packets read by the broker, and %,d broken and "
                        + "%,d valid pipelined, on %,d connections, %d at a time (%,d closed by the broker mid-plan, "
                        + "%,d failed to connect, %,d left without PINGRESP for 30 s) in %.1f s; %,d INFO (by logger: %s) and %,d WARN lines logged; connections closed "
                        + "by the broker, by reason: %s; messages dropped by the broker: %,d queue full, %,d slow "
                        + "consumer, %,d too large, %,d expired; the broker holds %,d sessions, %,d subscriptions, %,d "
                        + "retained messages; numbered messages published %s, received %s; Netty leak detection %s",
                replay, r.brokenPackets(), r.validPackets(), r.pipelinedBroken(), r.pipelinedValid(), r.connections(),
                CONCURRENCY, r.closedByBroker(), r.connectFailures(), r.unanswered(), r.elapsed().toMillis() / 1000.0,
                logs.count(Level.INFO), logs.infosByLogger(), logs.count(Level.WARN), logs.closesByReason(), metrics.droppedQueueFull.sum(),
                metrics.droppedSlowConsumer.sum(), metrics.droppedTooLarge.sum(), metrics.droppedExpired.sum(),
                context.sessions().size(), context.subscriptions().size(), context.retained().size(),
                numbered.published(), numbered.received(), ResourceLeakDetector.getLevel());
    }

    /** After the run, a new client of each version connects, subscribes, publishes and receives. */
    private static void newClientsAreServed(String topic) {
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            String t = topic + "/after/" + v;
            try (RawClient sub = RawClient.connect(broker.port(), v, "after-sub-" + v);
                    RawClient pub = RawClient.connect(broker.port(), v, "after-pub-" + v)) {
                sub.send(new SubscribePacket(1, List.of(new TopicSubscription(t, 1)), Properties.EMPTY));
                assertThat(sub.expect(SubackPacket.class).reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);
                pub.send(new PublishPacket(t, 1, false, false, 1, Properties.EMPTY, Payload.utf8("after")));
                assertThat(pub.expect(PubackPacket.class).packetId()).isEqualTo(1);
                PublishPacket p = sub.expect(PublishPacket.class);
                assertThat(p.topic()).isEqualTo(t);
                assertThat(p.payload().toUtf8String()).isEqualTo("after");
                sub.send(new PubackPacket(p.packetId()));
                sub.expectNothingMore();
                pub.send(DisconnectPacket.NORMAL);
                sub.send(DisconnectPacket.NORMAL);
            }
        }
    }

    /** The problems, each followed by the bytes of the fuzz connection its log line names. */
    private static String report(List<String> problems, Fuzzer fuzzer) {
        StringBuilder sb = new StringBuilder();
        Set<Long> shown = new LinkedHashSet<>();
        for (String problem : problems) {
            sb.append(problem).append('\n');
            Matcher m = PORT.matcher(problem);
            if (m.find()) {
                Long index = fuzzer.connectionOnPort(Integer.parseInt(m.group(1)));
                if (index != null && shown.add(index)) {
                    sb.append(ConnectionPlan.of(SEED, index).describe(SEED)).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
