package io.switchboard.testkit.bench;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.BrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Live heap of the broker per idle MQTT 5 connection, and per offline persistent session with one
 * subscription. Run by {@code scripts/memory-per-connection}; what it measures and its figures are in
 * {@code docs/performance.md}, section "Memory per connection".
 *
 * <p>For each scenario it starts a fresh broker JVM ({@code cli/target/switchboard.jar}), warms it up
 * with connections that leave nothing behind, takes the live heap by class ({@code jcmd
 * GC.class_histogram}, which runs a full GC first), opens the connections or sessions, takes it
 * again, and reports {@code (after - before) / N} in total and by class. The clients run in this
 * JVM, so none of their memory is counted.
 *
 * <ul>
 *   <li>{@code idle}: N connections that sent CONNECT (5.0, Clean Start, no Session Expiry Interval,
 *       keep alive 0 unless {@code --keep-alive}), received CONNACK, and stay open sending nothing.
 *   <li>{@code offline}: N sessions that connected with Session Expiry Interval 3600, subscribed to
 *       their own {@code devices/<i>/cmd} at QoS 1, and sent DISCONNECT (0x00): the sessions stay in
 *       the broker, offline, each with one subscription.
 * </ul>
 */
public final class MemoryPerConnection {
    /** Connections per loopback source address: well inside the ephemeral port range of one address. */
    private static final int PER_SOURCE_ADDRESS = 5_000;
    private static final String CONNECTION_CLASS = "io.switchboard.broker.protocol.MqttConnection";
    private static final String SESSION_CLASS = "io.switchboard.broker.session.Session";

    enum Scenario { IDLE, OFFLINE }

    record Options(int connections, List<Scenario> scenarios, Path jar, List<String> brokerJvmOptions,
            int keepAlive, int batch, int warmup, int top, Path out, boolean heapDump) {
    }

    private final Options options;
    private final PrintStream out = System.out;

    private MemoryPerConnection(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = BenchOptions.parse(args);
        if (options == null) {
            return; // --help
        }
        new MemoryPerConnection(options).run();
    }

    private void run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        out.printf("Memory per connection, %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.printf("  JDK %s (%s), %d cores, %s%n", System.getProperty("java.vm.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"));
        out.printf("  broker: java %s -jar %s broker%n", String.join(" ", options.brokerJvmOptions()), options.jar());
        out.printf("  N = %,d, warm-up %,d connections, histograms and logs in %s%n", options.connections(),
                options.warmup(), options.out().toAbsolutePath());
        List<String> summary = new ArrayList<>();
        for (Scenario s : options.scenarios()) {
            summary.add(measure(s));
        }
        out.println();
        out.println("Summary (live heap of the broker, after a full GC):");
        summary.forEach(out::println);
    }

    /** Runs one scenario against a fresh broker and prints its figures; returns its summary line. */
    private String measure(Scenario scenario) throws IOException, InterruptedException {
        String name = scenario.name().toLowerCase(Locale.ROOT);
        int n = options.connections();
        out.printf("%n== %s: %s%n", name, scenario == Scenario.IDLE
                ? String.format("%,d idle MQTT 5 connections (Clean Start, session expiry 0, keep alive %d)", n, options.keepAlive())
                : String.format("%,d offline MQTT 5 sessions (session expiry 3600 s, one QoS 1 subscription each)", n));
        // The default storage (RocksDB, durability sync) in a data directory of this run's, emptied
        // first: sessions of an earlier run must not come back and be counted.
        Path data = options.out().resolve("data-" + name).toAbsolutePath();
        deleteTree(data);
        int port = BrokerProcess.freePort();
        Path config = options.out().resolve("broker-" + name + ".yaml");
        Files.writeString(config, "listeners:\n  - {name: default, host: 127.0.0.1, port: " + port + "}\n"
                + "storage:\n  dataDir: " + data + "\n", StandardCharsets.UTF_8);
        try (BrokerProcess broker = BrokerProcess.start(options.jar(), options.brokerJvmOptions(), config, port,
                java.util.Map.of(), options.out().resolve("broker-" + name + ".log"))) {
            out.printf("  broker pid %d on %s%n", broker.pid(), broker.address());
            warmUp(broker.address());
            awaitInstances(broker, CONNECTION_CLASS, 0);
            awaitInstances(broker, SESSION_CLASS, 0);
            histogram(broker); // the first jcmd starts the attach listener; keep that out of the baseline
            ClassHistogram before = save(broker, name + "-before");
            long started = System.nanoTime();
            List<BenchClient> clients = new ArrayList<>();
            try {
                if (scenario == Scenario.IDLE) {
                    openIdle(broker.address(), clients);
                } else {
                    createOffline(broker.address());
                    awaitInstances(broker, CONNECTION_CLASS, 0); // the broker has closed every connection
                }
                out.printf("  %,d %s in %.1f s%n", n, scenario == Scenario.IDLE ? "connections opened"
                        : "sessions created", (System.nanoTime() - started) / 1e9);
                ClassHistogram after = save(broker, name + "-after");
                if (options.heapDump()) {
                    Path dump = options.out().resolve("heap-" + name + ".hprof").toAbsolutePath();
                    Files.deleteIfExists(dump);
                    broker.jcmd("GC.heap_dump", dump.toString());
                    out.printf("  heap dump: %s%n", dump);
                }
                return report(scenario, n, before, after);
            } finally {
                clients.forEach(BenchClient::close); // before the broker stops, so it does not disconnect them
            }
        }
    }

    private String report(Scenario scenario, int n, ClassHistogram before, ClassHistogram after) throws IOException {
        String name = scenario.name().toLowerCase(Locale.ROOT);
        long connections = after.instances(CONNECTION_CLASS) - before.instances(CONNECTION_CLASS);
        long sessions = after.instances(SESSION_CLASS) - before.instances(SESSION_CLASS);
        out.printf("  the broker holds %,d more MqttConnection and %,d more Session objects than before%n",
                connections, sessions);
        if (sessions != n || connections != (scenario == Scenario.IDLE ? n : 0)) {
            out.printf("  WARNING: expected %,d more MqttConnection and %,d more Session objects: the figures below"
                    + " are not what they claim to be%n", scenario == Scenario.IDLE ? n : 0, n);
        }
        double perConnection = (double) (after.totalBytes() - before.totalBytes()) / n;
        out.printf("  live heap: %,d bytes before, %,d after: %.0f bytes (%.2f KiB) per %s%n", before.totalBytes(),
                after.totalBytes(), perConnection, perConnection / 1024, name.equals("idle") ? "connection" : "session");
        List<ClassHistogram.Delta> deltas = after.minus(before);
        StringBuilder all = new StringBuilder(String.format("%12s %10s %10s %10s  %s%n",
                "bytes/conn", "inst/conn", "bytes", "instances", "class"));
        for (ClassHistogram.Delta d : deltas) {
            all.append(String.format(Locale.ROOT, "%12.1f %10.3f %10d %10d  %s%n", (double) d.bytes() / n,
                    (double) d.instances() / n, d.bytes(), d.instances(), d.className()));
        }
        Files.writeString(options.out().resolve("diff-" + name + ".txt"), all, StandardCharsets.UTF_8);
        out.printf("  top %d classes by bytes per %s (all of them in diff-%s.txt):%n", options.top(),
                name.equals("idle") ? "connection" : "session", name);
        all.toString().lines().limit(options.top() + 1L).forEach(l -> out.println("  " + l));
        // The targets of the project's issue: 2 KiB per idle connection, 1 KiB per offline session.
        return String.format(Locale.ROOT, "  %-8s N = %,7d: %6.0f bytes (%.2f KiB) per %s (target: at most %d)", name, n,
                perConnection, perConnection / 1024, scenario == Scenario.IDLE ? "idle connection" : "offline session",
                scenario == Scenario.IDLE ? 2048 : 1024);
    }

    // ---- clients ----

    /** Connections that leave nothing behind (session expiry 0), so the baseline has every class loaded and every pool warm. */
    private void warmUp(InetSocketAddress broker) throws IOException {
        byte[] disconnect = BenchClient.encode(DisconnectPacket.NORMAL);
        for (int start = 0; start < options.warmup(); start += options.batch()) {
            List<BenchClient> batch = new ArrayList<>();
            try {
                for (int i = start; i < Math.min(options.warmup(), start + options.batch()); i++) {
                    BenchClient c = BenchClient.open(sourceAddress(1, i), broker);
                    batch.add(c);
                    c.write(concat(connect("warmup-" + i, 0, options.keepAlive()), subscribe("warmup/" + i + "/cmd")));
                }
                for (BenchClient c : batch) {
                    expectConnack(c.read());
                    expectSuback(c.read());
                    c.write(disconnect);
                }
                for (BenchClient c : batch) {
                    c.awaitClosed();
                }
            } finally {
                batch.forEach(BenchClient::close);
            }
        }
    }

    /** Opens N connections, in batches: all of a batch connect, then all read their CONNACK. */
    private void openIdle(InetSocketAddress broker, List<BenchClient> clients) throws IOException {
        int n = options.connections();
        for (int start = 0; start < n; start += options.batch()) {
            int end = Math.min(n, start + options.batch());
            for (int i = start; i < end; i++) {
                BenchClient c = BenchClient.open(sourceAddress(2, i), broker);
                clients.add(c);
                c.write(connect(String.format("idle-%08d", i), 0, options.keepAlive()));
            }
            for (int i = start; i < end; i++) {
                expectConnack(clients.get(i).read());
            }
            progress(end);
        }
    }

    /** Creates N offline sessions: CONNECT (expiry 3600) and SUBSCRIBE, CONNACK and SUBACK, DISCONNECT, close. */
    private void createOffline(InetSocketAddress broker) throws IOException {
        int n = options.connections();
        byte[] disconnect = BenchClient.encode(DisconnectPacket.NORMAL);
        for (int start = 0; start < n; start += options.batch()) {
            List<BenchClient> batch = new ArrayList<>();
            try {
                for (int i = start; i < Math.min(n, start + options.batch()); i++) {
                    BenchClient c = BenchClient.open(sourceAddress(3, i), broker);
                    batch.add(c);
                    c.write(concat(connect(String.format("offline-%08d", i), 3600, 0), subscribe("devices/" + i + "/cmd")));
                }
                for (BenchClient c : batch) {
                    expectConnack(c.read());
                    expectSuback(c.read());
                    c.write(disconnect);
                }
                for (BenchClient c : batch) {
                    c.awaitClosed(); // the broker closes after DISCONNECT: the session is offline now
                }
            } finally {
                batch.forEach(BenchClient::close);
            }
            progress(Math.min(n, start + options.batch()));
        }
    }

    /** A 5.0 CONNECT with Clean Start; a Session Expiry Interval of 0 is left out, as clients do. */
    private static byte[] connect(String clientId, long expiry, int keepAlive) {
        Properties props = expiry > 0 ? Properties.builder().sessionExpiryInterval(expiry).build() : Properties.EMPTY;
        return BenchClient.encode(new ConnectPacket(MqttVersion.V5, true, keepAlive, clientId, null, null, null, props));
    }

    private static byte[] subscribe(String filter) {
        return BenchClient.encode(new SubscribePacket(1, List.of(new TopicSubscription(filter, 1)), Properties.EMPTY));
    }

    private static void expectConnack(MqttPacket p) throws IOException {
        if (!(p instanceof ConnackPacket c) || c.reasonCode() != ReasonCode.SUCCESS) {
            throw new IOException("expected a successful CONNACK, received " + p);
        }
    }

    private static void expectSuback(MqttPacket p) throws IOException {
        if (!(p instanceof SubackPacket s) || !s.reasonCodes().equals(List.of(ReasonCode.GRANTED_QOS_1))) {
            throw new IOException("expected SUBACK granting QoS 1, received " + p);
        }
    }

    private void progress(int done) {
        if (done % 10_000 == 0 || done == options.connections()) {
            out.printf("  ... %,d%n", done);
        }
    }

    /**
     * The loopback source address of client {@code i} of a group: 127.(10+group).x.y, a new address
     * every {@link #PER_SOURCE_ADDRESS} clients. Groups differ so that sockets of one scenario
     * lingering in TIME_WAIT never take ports that the next one needs.
     */
    private static InetAddress sourceAddress(int group, int i) throws IOException {
        int block = i / PER_SOURCE_ADDRESS;
        return InetAddress.getByAddress(new byte[] {127, (byte) (10 + group), (byte) (block / 250), (byte) (1 + block % 250)});
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ---- broker heap ----

    /** The live heap by class, after a full GC (run by the histogram command itself). */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static ClassHistogram histogram(BrokerProcess broker) {
        return ClassHistogram.parse(broker.jcmd("GC.class_histogram"));
    }

    private ClassHistogram save(BrokerProcess broker, String label) throws IOException {
        String text = broker.jcmd("GC.class_histogram");
        Files.writeString(options.out().resolve("histogram-" + label + ".txt"), text, StandardCharsets.UTF_8);
        return ClassHistogram.parse(text);
    }

    /**
     * Waits until the broker holds exactly {@code expected} live instances of a class (each look is a
     * full GC): closed connections are let go by the event loops shortly after the client sees the close.
     */
    private void awaitInstances(BrokerProcess broker, String className, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        long live;
        while ((live = histogram(broker).instances(className)) != expected) {
            if (System.currentTimeMillis() > deadline) {
                out.printf("  WARNING: the broker still holds %,d %s objects, expected %,d; measuring anyway%n",
                        live, className, expected);
                return;
            }
            Thread.sleep(500);
        }
    }
}
