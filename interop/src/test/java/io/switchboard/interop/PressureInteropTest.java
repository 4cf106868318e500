package io.switchboard.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.broker.protocol.MqttConnection;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Fair under pressure, as a new user meets it: {@code mosquitto_pub -l} sends 200,000 QoS 0
 * messages of 1 KiB as fast as it can to two ordinary {@code mosquitto_sub} subscribers (QoS 0 and
 * QoS 1), while a third client subscribes to {@code #} and never reads its socket. Both ordinary
 * subscribers get every message, in order: the broker slows the publisher while a subscriber that
 * keeps reading is behind, and after {@code mqtt.slowSubscriberTimeoutMillis} declares the one that
 * does not read slow, drops its QoS 0 messages (counted, logged once) and lets the publisher go.
 * Counts only, no timings.
 */
class PressureInteropTest {
    private static final int MESSAGES = 200_000;
    private static final int SIZE = 1024;
    private static final Duration BOUND = Duration.ofMinutes(4);

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Test
    void subscribersThatReadGetEveryMessageWhileOneDoesNotRead() throws Exception {
        String topic = Interop.unique("pressure");
        Logger log = (Logger) LoggerFactory.getLogger(MqttConnection.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        long droppedBefore = broker.broker().metrics().droppedSlowConsumer.sum();
        try (Socket stuck = stuckSubscriber("pressure-stuck");
                Counter sub0 = new Counter(command("mosquitto_sub", "-q", "0", "-t", topic));
                Counter sub1 = new Counter(command("mosquitto_sub", "-q", "1", "-t", topic))) {
            Interop.awaitSubscribers(broker, topic, 3);
            Process pub = new ProcessBuilder(command("mosquitto_pub", "-q", "0", "-t", topic, "-l"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
            try {
                writeLines(pub.getOutputStream());
                assertThat(pub.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
                assertThat(pub.exitValue()).isZero();
                sub0.awaitExit();
                sub1.awaitExit();
            } finally {
                pub.destroyForcibly();
            }
            assertThat(sub0.received()).as("QoS 0 subscriber").isEqualTo(MESSAGES);
            assertThat(sub1.received()).as("QoS 1 subscriber").isEqualTo(MESSAGES);
            assertThat(sub0.disorder()).as("QoS 0 subscriber: first line out of order").isNull();
            assertThat(sub1.disorder()).as("QoS 1 subscriber: first line out of order").isNull();
            // The client that does not read lost QoS 0 messages, counted, and was reported once.
            assertThat(broker.broker().metrics().droppedSlowConsumer.sum() - droppedBefore).isPositive();
            List<String> slowLines = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("pressure-stuck") && m.contains("has not taken its messages")).toList();
            assertThat(slowLines).hasSize(1);
        } finally {
            log.detachAppender(logged);
        }
    }

    private static List<String> command(String tool, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port()), "-V", "5"));
        cmd.addAll(List.of(args));
        if (tool.equals("mosquitto_sub")) {
            cmd.addAll(List.of("-C", String.valueOf(MESSAGES), "-W", String.valueOf(BOUND.toSeconds())));
        }
        return cmd;
    }

    /** Lines "0xxxx...", "1xxxx...", each of {@link #SIZE} bytes with its newline. */
    private static void writeLines(OutputStream out) throws IOException {
        char[] pad = new char[SIZE - 1];
        java.util.Arrays.fill(pad, 'x');
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, UTF_8), 1 << 16)) {
            for (int i = 0; i < MESSAGES; i++) {
                String n = Integer.toString(i);
                w.write(n);
                w.write(pad, 0, pad.length - n.length());
                w.write('\n');
            }
        }
    }

    /** A 3.1.1 client subscribed to '#' that never reads its socket (a small receive buffer). */
    private static Socket stuckSubscriber(String clientId) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", broker.port()));
        byte[] id = clientId.getBytes(UTF_8);
        java.io.ByteArrayOutputStream connect = new java.io.ByteArrayOutputStream();
        connect.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length});
        connect.writeBytes(id);
        OutputStream o = s.getOutputStream();
        o.write(0x10);
        o.write(connect.size());
        o.write(connect.toByteArray());
        o.write(new byte[] {(byte) 0x82, 6, 0, 1, 0, 1, '#', 0}); // SUBSCRIBE id 1, '#', QoS 0
        o.flush();
        return s;
    }

    /** A mosquitto_sub whose output lines are counted and checked for order as they come, not kept. */
    private static final class Counter implements AutoCloseable {
        private final Process process;
        private final Thread reader;
        private final AtomicLong count = new AtomicLong();
        private final AtomicReference<String> disorder = new AtomicReference<>();

        Counter(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        long expected = count.getAndIncrement();
                        if (disorder.get() == null && !line.startsWith(expected + "x")) {
                            disorder.set("line " + expected + ": " + line.substring(0, Math.min(40, line.length())));
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }, "count-" + command.get(0));
            reader.setDaemon(true);
            reader.start();
        }

        void awaitExit() throws InterruptedException {
            await().atMost(BOUND).until(() -> !process.isAlive());
            reader.join(BOUND.toMillis());
        }

        long received() {
            return count.get();
        }

        String disorder() {
            return disorder.get();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
