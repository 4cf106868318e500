package io.switchboard.testkit.bench;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.BrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What durable storage costs the broker: QoS 1 point-to-point throughput and publish-to-PUBACK
 * latency with each kind of storage, and the start-up time with a million stored messages. Run by
 * {@code scripts/durability-cost}; what it measures and its figures are in {@code docs/durability.md},
 * section "Cost".
 *
 * <p><b>Throughput.</b> For each mode (storage memory; RocksDB with durability none, periodic, sync)
 * and each publisher count N, a fresh broker JVM with a fresh data directory (deleted after), N
 * subscribers, each a persistent session (MQTT 5, Session Expiry Interval 3600, Clean Start)
 * subscribed at QoS 1 to its own topic {@code dc/<i>} and acknowledging every PUBLISH at once, and N
 * publishers, publisher i publishing QoS 1 to {@code dc/<i>} only: every message is stored for its
 * one subscriber, and its PUBACK waits until it is durable. Each publisher keeps a window of W
 * PUBLISHes unacknowledged (a new one for each PUBACK). The time from writing a PUBLISH to reading
 * its PUBACK is its latency. After a warm-up, the PUBACKs read in a fixed measured time are counted
 * and their latencies taken. Meanwhile the broker's CPU time by thread and its disk writes are read
 * from /proc, and, with {@code --fsync-trace} (which slows the storage thread down), its fsyncs are
 * counted and timed with perf.
 *
 * <p><b>Start-up.</b> A RocksDB store is filled with M QoS 1 messages queued for S offline
 * persistent sessions (M / S each), the broker stopped cleanly (SIGTERM), then started again on that
 * directory: the time from starting the process to "Ready.", the storage's own reading time (its
 * log line), and the broker's heap after start. Then the same after a SIGKILL of the broker that
 * filled a second store.
 */
public final class DurabilityCost {
    private static final Pattern STORAGE_READ = Pattern.compile(
            "Storage: read (\\d+) sessions, (\\d+) stored messages in (\\d+) deliveries, (\\d+) retained messages in (\\d+) ms");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final long SESSION_EXPIRY = 3600;
    private static final int FILL_PUBLISHERS = 4;
    private static final int FILL_WINDOW = 64;

    /** Where the broker keeps its state, and when a write counts as done. */
    enum Mode {
        MEMORY("memory", null), NONE("rocksdb none", "none"), PERIODIC("rocksdb periodic", "periodic"),
        SYNC("rocksdb sync", "sync");

        final String label;
        final String durability;

        Mode(String label, String durability) {
            this.label = label;
            this.durability = durability;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final DurabilityOptions options;
    private final PrintStream out = System.out;
    private final StringBuilder report = new StringBuilder();

    private DurabilityCost(DurabilityOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        DurabilityOptions options = DurabilityOptions.parse(args);
        if (options == null) {
            return; // --help
        }
        new DurabilityCost(options).run();
    }

    private void run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        Files.createDirectories(options.data());
        String stamp = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        line("# Durability cost, %s", stamp);
        line("");
        line("- JDK %s (%s), %d cores, %s %s", System.getProperty("java.vm.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"));
        line("- broker: java %s -jar %s broker --config FILE", String.join(" ", options.brokerJvmOptions()), options.jar());
        line("- data directories under %s (%s)", options.data().toAbsolutePath(), fileSystem(options.data()));
        FsyncProbe probe = probeFsync(options.data());
        line("- this disk: write 128 bytes + fdatasync (FileChannel.force(false)), alone for 2 s: %,d per second,"
                + " median %.3f ms, p99 %.3f ms", probe.perSecond, probe.p50Ms, probe.p99Ms);
        if (options.throughput()) {
            throughput();
        }
        if (options.startup()) {
            startup();
        }
        String name = "results-" + stamp.replaceAll("[:+]", "").replace('T', '-').substring(0, 17) + ".md";
        Files.writeString(options.out().resolve(name), report, StandardCharsets.UTF_8);
        out.printf("%nThis report: %s%n", options.out().resolve(name).toAbsolutePath());
    }

    // ---- throughput and latency ----

    /** One measured cell: a mode, a publisher count, a run. */
    record Cell(Mode mode, int publishers, int run, double perSecond, long measured, double p50Ms, double p99Ms,
            double p999Ms, double maxMs, long published, long delivered, ProcStats.Delta broker,
            ProcStats.Delta bench, FsyncCount fsyncs, long readyMillis, double deliveredPerSecond, long heldBack,
            long stopMillis) {
    }

    private void throughput() throws IOException, InterruptedException {
        line("");
        line("## Throughput and publish-to-PUBACK latency");
        line("");
        line("QoS 1, point to point: N publishers, publisher i to topic dc/<i>, its own persistent subscriber"
                + " session (Session Expiry 3600, QoS 1) connected and acknowledging. Window %d unacknowledged"
                + " PUBLISHes per publisher, payload %d bytes, warm-up %d s, measured %d s per cell, %d run(s),"
                + " a fresh broker and data directory for each.", options.window(), options.payload(),
                options.warmupSeconds(), options.durationSeconds(), options.runs());
        line("");
        List<Cell> cells = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            for (int n : options.publishers()) {
                for (Mode mode : options.modes()) {
                    cells.add(measure(mode, n, run));
                }
            }
        }
        line("");
        line("Per run (latency: from writing a PUBLISH to reading its PUBACK):");
        line("");
        line("| mode | N | run | msg/s | delivered msg/s | p50 ms | p99 ms | p99.9 ms | max ms | held back"
                + " | broker ready ms | broker stop ms |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Cell c : cells) {
            line("| %s | %d | %d | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.1f | %,d | %d | %,d |", c.mode.label,
                    c.publishers, c.run, c.perSecond, c.deliveredPerSecond, c.p50Ms, c.p99Ms, c.p999Ms, c.maxMs,
                    c.heldBack, c.readyMillis, c.stopMillis);
        }
        line("");
        line("Where the time went in the measured part (CPU in cores of 2; wait: runnable but no core free;"
                + " in fsync: share of wall time the storage thread spent in fsync/fdatasync; other: every other"
                + " process of the machine; msgs/fsync: PUBACKs per fsync of the storage thread, each message"
                + " being two batches, the publisher's and the subscriber's PUBACK):");
        line("");
        line("| mode | N | run | broker CPU | sb-loop | sb-loop wait | sb-storage | sb-storage wait | sb-storage in fsync"
                + " | bench CPU | other CPU | steal | fsyncs/s | msgs/fsync | ms/fsync | disk KB/msg |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Cell c : cells) {
            ProcStats.Delta b = c.broker;
            boolean f = c.fsyncs != null && c.fsyncs.calls > 0;
            line("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", c.mode.label,
                    c.publishers, c.run, b == null ? "-" : fixed(b.cores()), b == null ? "-" : fixed(b.thread("sb-loop")),
                    b == null ? "-" : fixed(b.waiting("sb-loop")), b == null ? "-" : fixed(b.thread("sb-storage")),
                    b == null ? "-" : fixed(b.waiting("sb-storage")),
                    f ? fixed(c.fsyncs.totalMs / 1000 / c.fsyncs.seconds) : "-",
                    c.bench == null ? "-" : fixed(c.bench.cores()),
                    b == null || c.bench == null ? "-" : fixed(b.machineCores() - b.cores() - c.bench.cores()),
                    b == null ? "-" : fixed(b.machineSteal()),
                    f ? String.format(Locale.ROOT, "%,.0f", c.fsyncs.calls / c.fsyncs.seconds) : "-",
                    f && c.mode == Mode.SYNC ? String.format(Locale.ROOT, "%.1f", (double) c.measured / c.fsyncs.calls) : "-",
                    f ? String.format(Locale.ROOT, "%.3f", c.fsyncs.totalMs / c.fsyncs.calls) : "-",
                    b == null || b.writeBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", b.writeBytes() / 1024.0 / c.measured));
        }
        line("");
        line("Summary (median of %d run(s); range: lowest and highest msg/s of the runs; ratio: median msg/s over"
                + " memory's at the same N; other CPU: median CPU time of every other process of the machine, the"
                + " noise):", options.runs());
        line("");
        line("| mode | N | msg/s | range | ratio to memory | p50 ms | p99 ms | p99.9 ms | msgs/fsync | other CPU |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : options.publishers()) {
            double memory = median(cells.stream().filter(c -> c.mode == Mode.MEMORY && c.publishers == n)
                    .mapToDouble(Cell::perSecond).toArray());
            for (Mode mode : options.modes()) {
                List<Cell> these = cells.stream().filter(c -> c.mode == mode && c.publishers == n).toList();
                double rate = median(these.stream().mapToDouble(Cell::perSecond).toArray());
                double lo = these.stream().mapToDouble(Cell::perSecond).min().orElse(Double.NaN);
                double hi = these.stream().mapToDouble(Cell::perSecond).max().orElse(Double.NaN);
                double perFsync = median(these.stream().filter(c -> c.fsyncs != null && c.fsyncs.calls > 0)
                        .mapToDouble(c -> (double) c.measured / c.fsyncs.calls).toArray());
                double other = median(these.stream().filter(c -> c.broker != null && c.bench != null)
                        .mapToDouble(c -> c.broker.machineCores() - c.broker.cores() - c.bench.cores()).toArray());
                line("| %s | %d | %,.0f | %,.0f-%,.0f | %s | %.2f | %.2f | %.2f | %s | %.2f |", mode.label, n, rate, lo, hi,
                        Double.isNaN(memory) ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * rate / memory),
                        median(these.stream().mapToDouble(Cell::p50Ms).toArray()),
                        median(these.stream().mapToDouble(Cell::p99Ms).toArray()),
                        median(these.stream().mapToDouble(Cell::p999Ms).toArray()),
                        Double.isNaN(perFsync) || mode != Mode.SYNC ? "-" : String.format(Locale.ROOT, "%.1f", perFsync),
                        other);
            }
        }
        for (Cell c : cells) {
            if (c.delivered < c.published) {
                line("");
                line("WARNING: %s, N = %d, run %d: the subscribers received %,d of the %,d messages acknowledged",
                        c.mode.label, c.publishers, c.run, c.delivered, c.published);
            }
        }
    }

    private Cell measure(Mode mode, int n, int run) throws IOException, InterruptedException {
        String name = mode.key() + "-" + n + "p-r" + run;
        out.printf("%n== %s: %s, %d publisher(s) and subscriber(s), run %d%n", name, mode.label, n, run);
        awaitQuiet();
        Path data = options.data().resolve(name);
        deleteTree(data);
        Path config = writeConfig(name, mode, data, 1000);
        List<String> jvm = new ArrayList<>(options.brokerJvmOptions());
        Path jfr = options.out().resolve("jfr").resolve(name + ".jfr").toAbsolutePath();
        if (options.jfr()) {
            Files.createDirectories(jfr.getParent());
        }
        try (BrokerProcess broker = BrokerProcess.start(options.jar(), jvm, config,
                options.out().resolve("broker-" + name + ".log"))) {
            long ready = TimeUnit.NANOSECONDS.toMillis(broker.readyNanos());
            out.printf("  broker pid %d on %s, ready in %d ms%n", broker.pid(), broker.address(), ready);
            List<Subscriber> subscribers = new ArrayList<>();
            List<Publisher> publishers = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try {
                for (int i = 0; i < n; i++) {
                    subscribers.add(Subscriber.connect(broker.address(), "dc-sub-" + i, "dc/" + i, failure));
                }
                for (int i = 0; i < n; i++) {
                    publishers.add(Publisher.connect(broker.address(), "dc-pub-" + i, "dc/" + i, options,
                            subscribers.get(i), failure));
                }
                long start = System.nanoTime();
                long measureFrom = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
                long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(options.durationSeconds());
                List<Thread> threads = new ArrayList<>();
                for (Subscriber s : subscribers) {
                    s.measureFrom = measureFrom;
                    s.measureTo = measureTo;
                    threads.add(start(s, "sub-" + s.topic));
                }
                for (Publisher p : publishers) {
                    p.measureFrom = measureFrom;
                    p.measureTo = measureTo;
                    threads.add(start(p, "pub-" + p.topic));
                }
                if (options.jfr()) {
                    sleepUntil(measureFrom - TimeUnit.SECONDS.toNanos(Math.min(2, options.warmupSeconds())), failure);
                    broker.jcmd("JFR.start", "name=durability-cost", "settings=profile");
                }
                sleepUntil(measureFrom, failure);
                ProcStats brokerBefore = ProcStats.read(broker.pid());
                ProcStats benchBefore = ProcStats.read(ProcessHandle.current().pid());
                FsyncTrace trace = options.perf() && mode != Mode.MEMORY
                        ? FsyncTrace.start(broker.pid(), options.durationSeconds(), options.out().resolve("perf-" + name + ".txt"))
                        : null;
                Process syscalls = null;
                if (options.syscalls()) {
                    Path summary = options.out().resolve("syscalls-" + name + ".txt").toAbsolutePath();
                    syscalls = new ProcessBuilder("perf", "trace", "-s", "-p", Long.toString(broker.pid()), "-o",
                            summary.toString(), "--", "sleep", Integer.toString(options.durationSeconds()))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    out.printf("  system calls of the broker by thread: %s%n", summary);
                }
                sleepUntil(measureTo, failure);
                ProcStats brokerAfter = ProcStats.read(broker.pid());
                ProcStats benchAfter = ProcStats.read(ProcessHandle.current().pid());
                if (options.jfr()) {
                    broker.jcmd("JFR.stop", "name=durability-cost", "filename=" + jfr);
                    out.printf("  JFR recording: %s%n", jfr);
                }
                FsyncCount fsyncs = trace == null ? null : trace.finish();
                if (syscalls != null && !syscalls.waitFor(30, TimeUnit.SECONDS)) {
                    syscalls.destroyForcibly();
                }
                for (Publisher p : publishers) {
                    p.done.await(60, TimeUnit.SECONDS);
                }
                check(failure);
                long published = publishers.stream().mapToLong(p -> p.sent).sum();
                long delivered = awaitDelivered(publishers, subscribers, failure);
                long measured = publishers.stream().mapToLong(p -> p.measured).sum();
                long deliveredMeasured = subscribers.stream().mapToLong(x -> x.measured).sum();
                long heldBack = publishers.stream().mapToLong(p -> p.heldBack).sum();
                // Stopping writes what the storage still has queued (durability none acknowledges first):
                // a long stop means the storage thread had fallen behind.
                subscribers.forEach(Subscriber::close);
                publishers.forEach(Publisher::close);
                long stopping = System.nanoTime();
                if (!broker.stop()) {
                    out.printf("  WARNING: the broker did not stop within 15 s of SIGTERM and was killed%n");
                }
                long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
                long[] latencies = merge(publishers);
                Arrays.sort(latencies);
                Cell c = new Cell(mode, n, run, measured / (double) options.durationSeconds(), measured,
                        percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999),
                        latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6, published, delivered,
                        brokerBefore == null || brokerAfter == null ? null : brokerAfter.since(brokerBefore),
                        benchBefore == null || benchAfter == null ? null : benchAfter.since(benchBefore), fsyncs, ready,
                        deliveredMeasured / (double) options.durationSeconds(), heldBack, stopMillis);
                out.printf("  %,.0f msg/s; publish-to-PUBACK p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms%n",
                        c.perSecond, c.p50Ms, c.p99Ms, c.p999Ms, c.maxMs);
                if (c.broker != null) {
                    out.printf("  broker CPU %.2f cores: %s%n  bench CPU %.2f cores; whole machine %.2f cores, steal %.2f;"
                            + " broker disk writes %,d bytes%n", c.broker.cores(), c.broker.top(6),
                            c.bench == null ? Double.NaN : c.bench.cores(), c.broker.machineCores(),
                            c.broker.machineSteal(), c.broker.writeBytes());
                }
                if (fsyncs != null) {
                    out.printf("  sb-storage: %,d fsyncs in %.1f s, %.3f ms each on average, %.1f messages per fsync%n",
                            fsyncs.calls, fsyncs.seconds, fsyncs.calls == 0 ? 0 : fsyncs.totalMs / fsyncs.calls,
                            fsyncs.calls == 0 ? 0 : (double) measured / fsyncs.calls);
                }
                out.printf("  %,d published and acknowledged in all, %,d delivered; %,.0f msg/s delivered in the measured"
                        + " part; publishers held back by a lagging subscriber %,d times; broker stopped in %,d ms%n",
                        published, delivered, c.deliveredPerSecond, heldBack, stopMillis);
                return c;
            } finally {
                for (Subscriber s : subscribers) {
                    s.close();
                }
                for (Publisher p : publishers) {
                    p.close();
                }
                if (!broker.stop()) {
                    out.printf("  WARNING: the broker did not stop within 15 s of SIGTERM and was killed%n");
                }
            }
        } finally {
            deleteTree(data);
        }
    }

    /**
     * Waits until every subscriber has what its publisher had acknowledged, or until nothing more
     * arrives for 3 s (messages were dropped); returns the total received.
     */
    private static long awaitDelivered(List<Publisher> publishers, List<Subscriber> subscribers,
            AtomicReference<Throwable> failure) throws IOException, InterruptedException {
        long last = -1;
        long progressAt = System.nanoTime();
        while (System.nanoTime() - progressAt < TimeUnit.SECONDS.toNanos(3)) {
            check(failure);
            long now = subscribers.stream().mapToLong(s -> s.received).sum();
            if (now != last) {
                last = now;
                progressAt = System.nanoTime();
            }
            boolean all = true;
            for (int i = 0; i < publishers.size(); i++) {
                all &= subscribers.get(i).received >= publishers.get(i).sent;
            }
            if (all) {
                break;
            }
            Thread.sleep(20);
        }
        return subscribers.stream().mapToLong(s -> s.received).sum();
    }

    private static long[] merge(List<Publisher> publishers) {
        int total = publishers.stream().mapToInt(p -> p.latencies.size).sum();
        long[] all = new long[total];
        int at = 0;
        for (Publisher p : publishers) {
            System.arraycopy(p.latencies.values, 0, all, at, p.latencies.size);
            at += p.latencies.size;
        }
        return all;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void sleepUntil(long nanos, AtomicReference<Throwable> failure) throws IOException, InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            check(failure);
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
        }
        check(failure);
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void check(AtomicReference<Throwable> failure) throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("a client failed: " + t, t);
        }
    }

    /** A growable array of latencies in nanoseconds. */
    static final class Latencies {
        long[] values = new long[1 << 16];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /**
     * One QoS 1 publisher on its own thread: writes W PUBLISHes, then one more for each PUBACK read
     * (answering a burst of PUBACKs with one write), until the measured part ends; then reads the
     * PUBACKs still due and disconnects.
     */
    static final class Publisher implements Runnable {
        final String topic;
        final Latencies latencies = new Latencies();
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private final BenchClient client;
        private final PacketStream stream;
        private final byte[] template;
        private final int idOffset;
        private final int window;
        private final int maxLag;
        private final Subscriber subscriber;
        private final AtomicReference<Throwable> failure;
        volatile long measureFrom;
        volatile long measureTo;
        /** PUBLISHes written (all acknowledged once {@link #done}) and PUBACKs read in the measured part. */
        volatile long sent;
        volatile long measured;
        /** Times fewer PUBLISHes were written than the window allowed, because the subscriber lagged. */
        volatile long heldBack;

        private Publisher(BenchClient client, String topic, byte[] template, int idOffset, int window, int maxLag,
                Subscriber subscriber, AtomicReference<Throwable> failure) throws IOException {
            this.client = client;
            this.stream = new PacketStream(client.socket());
            this.topic = topic;
            this.template = template;
            this.idOffset = idOffset;
            this.window = window;
            this.maxLag = maxLag;
            this.subscriber = subscriber;
            this.failure = failure;
        }

        /**
         * Connects publisher of {@code topic}, which never runs more than {@code o.maxLag()} messages
         * ahead of {@code subscriber}: the broker drops the newest message of a full session queue
         * rather than slow the publisher down, and a throughput of dropped messages means nothing.
         */
        static Publisher connect(InetSocketAddress broker, String clientId, String topic, DurabilityOptions o,
                Subscriber subscriber, AtomicReference<Throwable> failure) throws IOException {
            BenchClient c = BenchClient.open(InetAddress.getLoopbackAddress(), broker);
            try {
                c.write(connectPacket(clientId, 0));
                ConnackPacket connack = expectConnack(c.read());
                Integer receiveMaximum = connack.properties().receiveMaximum();
                if (receiveMaximum != null && receiveMaximum < o.window()) {
                    throw new IOException("the broker's Receive Maximum is " + receiveMaximum + ", below --window "
                            + o.window());
                }
                byte[] payload = new byte[o.payload()];
                Arrays.fill(payload, (byte) 'x');
                byte[] template = BenchClient.encode(new PublishPacket(topic, 1, false, false, 1, Properties.EMPTY,
                        Payload.wrap(payload)));
                return new Publisher(c, topic, template, packetIdOffset(template, topic), o.window(), o.maxLag(),
                        subscriber, failure);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        @Override
        public void run() {
            try {
                loop();
                client.write(BenchClient.encode(DisconnectPacket.NORMAL));
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, new IOException(topic + " publisher: " + e.getMessage(), e));
            } finally {
                done.countDown();
            }
        }

        private void loop() throws IOException {
            int len = template.length;
            byte[] burst = new byte[len * window];
            for (int k = 0; k < window; k++) {
                System.arraycopy(template, 0, burst, k * len, len);
            }
            long[] sentAt = new long[65_536];
            long from = measureFrom;
            long to = measureTo;
            int lastId = 0;
            int inflight = 0;
            int toSend = window;
            long written = 0;
            long counted = 0;
            long held = 0;
            while (true) {
                if (toSend > 0) {
                    long now = System.nanoTime();
                    for (int k = 0; k < toSend; k++) {
                        lastId = lastId == 65_535 ? 1 : lastId + 1; // in flight: the last W ids, never reused
                        burst[k * len + idOffset] = (byte) (lastId >> 8);
                        burst[k * len + idOffset + 1] = (byte) lastId;
                        sentAt[lastId] = now;
                    }
                    stream.write(burst, 0, toSend * len);
                    inflight += toSend;
                    written += toSend;
                    toSend = 0;
                }
                if (inflight == 0) {
                    if (System.nanoTime() >= to) {
                        break;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000); // the subscriber is catching up
                    toSend = allowed(window, written);
                    continue;
                }
                stream.next();
                long now = System.nanoTime();
                if (stream.type() != 4) {
                    throw new IOException("expected PUBACK, received packet type " + stream.type()
                            + (stream.type() == 14 && stream.bodyLength() > 0
                                    ? " (DISCONNECT 0x" + Integer.toHexString(stream.buffer()[stream.bodyOffset()] & 0xFF) + ")"
                                    : ""));
                }
                int id = stream.u16(0);
                int reason = stream.bodyLength() > 2 ? stream.buffer()[stream.bodyOffset() + 2] & 0xFF : 0;
                if (reason != 0) {
                    throw new IOException("PUBACK " + id + " with reason code 0x" + Integer.toHexString(reason));
                }
                inflight--;
                if (now >= from && now < to) {
                    latencies.add(now - sentAt[id]);
                    counted++;
                }
                if (now < to && !stream.hasPacket()) {
                    toSend = allowed(window - inflight, written);
                    if (toSend < window - inflight && now >= from) {
                        held++;
                    }
                }
            }
            sent = written;
            measured = counted;
            heldBack = held;
        }

        /** Up to {@code wanted} PUBLISHes more, as far as the subscriber's lag allows. */
        private int allowed(int wanted, long written) {
            long lag = written - subscriber.received;
            return (int) Math.max(0, Math.min(wanted, maxLag - lag));
        }

        void close() {
            client.close();
        }
    }

    /** A persistent session's connection on its own thread: reads PUBLISHes, answers each burst with its PUBACKs in one write. */
    static final class Subscriber implements Runnable {
        final String topic;
        private final BenchClient client;
        private final PacketStream stream;
        private final AtomicReference<Throwable> failure;
        private volatile boolean closing;
        volatile long received;
        volatile long measureFrom;
        volatile long measureTo;
        /** PUBLISHes received in the measured part. */
        volatile long measured;

        private Subscriber(BenchClient client, String topic, AtomicReference<Throwable> failure) throws IOException {
            this.client = client;
            this.stream = new PacketStream(client.socket());
            this.topic = topic;
            this.failure = failure;
        }

        static Subscriber connect(InetSocketAddress broker, String clientId, String topic,
                AtomicReference<Throwable> failure) throws IOException {
            BenchClient c = BenchClient.open(InetAddress.getLoopbackAddress(), broker);
            try {
                c.write(concat(connectPacket(clientId, SESSION_EXPIRY), subscribe(topic)));
                expectConnack(c.read());
                expectSuback(c.read());
                return new Subscriber(c, topic, failure);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        @Override
        public void run() {
            byte[] acks = new byte[4 * 1024];
            int n = 0;
            long count = 0;
            long from = measureFrom;
            long to = measureTo;
            long counted = 0;
            try {
                while (true) {
                    stream.next();
                    if (stream.type() != 3 || (stream.flags() >> 1 & 3) != 1) {
                        throw new IOException("expected a QoS 1 PUBLISH, received packet type " + stream.type()
                                + " flags " + stream.flags());
                    }
                    int id = stream.u16(2 + stream.u16(0));
                    received = ++count;
                    long now = System.nanoTime();
                    if (now >= from && now < to) {
                        measured = ++counted;
                    }
                    if (n + 4 > acks.length) {
                        acks = Arrays.copyOf(acks, acks.length * 2);
                    }
                    acks[n] = 0x40; // PUBACK, remaining length 2: success, no properties
                    acks[n + 1] = 2;
                    acks[n + 2] = (byte) (id >> 8);
                    acks[n + 3] = (byte) id;
                    n += 4;
                    if (!stream.hasPacket()) {
                        stream.write(acks, 0, n);
                        n = 0;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    failure.compareAndSet(null, new IOException(topic + " subscriber: " + e.getMessage(), e));
                }
            }
        }

        /** Disconnects (the session stays, as a persistent one does) and closes; ends the thread. */
        void close() {
            closing = true;
            try {
                client.write(BenchClient.encode(DisconnectPacket.NORMAL));
            } catch (IOException e) {
                // closing anyway
            }
            client.close();
        }
    }

    /** Where the packet identifier of an encoded QoS 1 PUBLISH is: after the fixed header and the topic. */
    static int packetIdOffset(byte[] publish, String topic) {
        int i = 1;
        while ((publish[i] & 0x80) != 0) {
            i++;
        }
        int offset = i + 1 + 2 + topic.getBytes(StandardCharsets.UTF_8).length;
        if (publish[offset] != 0 || publish[offset + 1] != 1) {
            throw new IllegalStateException("packet identifier 1 not found where expected in the encoded PUBLISH");
        }
        return offset;
    }

    // ---- fsyncs of the storage thread ----

    /** fsync and fdatasync calls of the storage thread in the measured part, and the time spent in them. */
    record FsyncCount(long calls, double totalMs, double seconds) {
    }

    /** {@code perf trace -s} on the broker's storage thread, for a fixed time. */
    static final class FsyncTrace {
        private static final Pattern SUMMARY = Pattern.compile("^\\s*(fsync|fdatasync)\\s+(\\d+)\\s+\\d+\\s+([\\d.]+)\\s");
        private final Process process;
        private final Path output;
        private final int seconds;

        private FsyncTrace(Process process, Path output, int seconds) {
            this.process = process;
            this.output = output;
            this.seconds = seconds;
        }

        /** Starts tracing, or returns null (saying why) when perf or the thread is not there. */
        static FsyncTrace start(long pid, int seconds, Path output) {
            long tid = ProcStats.threadId(pid, "sb-storage");
            if (tid < 0) {
                System.out.println("  (no sb-storage thread found: fsyncs not counted)");
                return null;
            }
            try {
                Process p = new ProcessBuilder("perf", "trace", "-s", "-t", Long.toString(tid), "-e", "fsync,fdatasync",
                        "-o", output.toAbsolutePath().toString(), "--", "sleep", Integer.toString(seconds))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return new FsyncTrace(p, output, seconds);
            } catch (IOException e) {
                System.out.println("  (perf not available: fsyncs not counted)");
                return null;
            }
        }

        FsyncCount finish() throws InterruptedException {
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            try {
                long calls = 0;
                double ms = 0;
                for (String line : Files.readAllLines(output)) {
                    Matcher m = SUMMARY.matcher(line);
                    if (m.find()) {
                        calls += Long.parseLong(m.group(2));
                        ms += Double.parseDouble(m.group(3));
                    }
                }
                return new FsyncCount(calls, ms, seconds);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    // ---- start-up with stored messages ----

    /** One start measured: from the process start to "Ready.", the storage's reading, the heap after. */
    record Start(String label, long readyMillis, long logStartMillis, long storageMillis, long sessions, long messages,
            long deliveries, long heapUsedBytes, long liveHeapBytes, long rssBytes) {
    }

    private void startup() throws IOException, InterruptedException {
        int m = options.startupMessages();
        int s = options.startupSessions();
        line("");
        line("## Start-up with %,d stored messages", m);
        line("");
        line("%,d offline persistent sessions (Session Expiry 3600, one QoS 1 subscription each) with %,d QoS 1"
                + " messages of %d bytes queued each, stored by a broker with durability periodic"
                + " (sessions.maxQueuedMessages %,d), which is then stopped; then the broker started on that directory.",
                s, m / s, options.payload(), queueLimit());
        line("");
        List<Start> starts = new ArrayList<>();
        Path clean = options.data().resolve("startup-clean");
        try {
            fill(clean, false);
            for (int i = 1; i <= options.startupRestarts(); i++) {
                starts.add(measureStart(clean, "after a clean stop (" + i + ")", "startup-clean-" + i));
            }
        } finally {
            deleteTree(clean);
        }
        if (options.startupKill()) {
            Path killed = options.data().resolve("startup-kill");
            try {
                fill(killed, true);
                starts.add(measureStart(killed, "after SIGKILL", "startup-kill"));
            } finally {
                deleteTree(killed);
            }
        }
        line("");
        line("| start | sessions | stored messages | deliveries | process start to Ready. | storage read (its log) |"
                + " broker start (log: starting to Ready.) | heap used after start | live heap (after full GC) | RSS |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Start st : starts) {
            line("| %s | %,d | %,d | %,d | %,d ms | %,d ms | %,d ms | %,d MiB | %,d MiB | %,d MiB |", st.label,
                    st.sessions, st.messages, st.deliveries, st.readyMillis, st.storageMillis, st.logStartMillis,
                    st.heapUsedBytes >> 20, st.liveHeapBytes >> 20, st.rssBytes >> 20);
            if (st.messages != m || st.deliveries != m) {
                line("");
                line("WARNING: %s: %,d stored messages and %,d deliveries read, %,d expected", st.label, st.messages,
                        st.deliveries, m);
            }
        }
    }

    private int queueLimit() {
        return Math.max(1000, 2 * (options.startupMessages() / options.startupSessions()));
    }

    /** Stores the messages through a broker with durability periodic, then stops it (SIGTERM, or SIGKILL). */
    private void fill(Path data, boolean kill) throws IOException, InterruptedException {
        deleteTree(data);
        String name = kill ? "startup-fill-kill" : "startup-fill";
        Path config = writeConfig(name, Mode.PERIODIC, data, queueLimit());
        out.printf("%n== %s: %,d messages for %,d offline sessions into %s%n", name, options.startupMessages(),
                options.startupSessions(), data);
        BrokerProcess broker = BrokerProcess.start(options.jar(), options.brokerJvmOptions(), config,
                options.out().resolve("broker-" + name + ".log"));
        try {
            int sessions = options.startupSessions();
            byte[] disconnect = BenchClient.encode(DisconnectPacket.NORMAL);
            for (int i = 0; i < sessions; i++) {
                try (BenchClient c = BenchClient.open(InetAddress.getLoopbackAddress(), broker.address())) {
                    c.write(concat(connectPacket(String.format("dc-stored-%05d", i), SESSION_EXPIRY), subscribe("dc/stored/" + i)));
                    expectConnack(c.read());
                    expectSuback(c.read());
                    c.write(disconnect);
                    c.awaitClosed();
                }
            }
            long started = System.nanoTime();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < FILL_PUBLISHERS; p++) {
                int first = p;
                threads.add(start(() -> {
                    try {
                        fillFrom(broker.address(), first);
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }, "fill-" + p));
            }
            for (Thread t : threads) {
                t.join();
            }
            check(failure);
            double seconds = (System.nanoTime() - started) / 1e9;
            line("- stored %,d messages in %.1f s (%,.0f msg/s, %d publishers, window %d)", options.startupMessages(),
                    seconds, options.startupMessages() / seconds, FILL_PUBLISHERS, FILL_WINDOW);
        } finally {
            if (kill) {
                broker.kill();
            } else if (!broker.stop()) {
                line("- WARNING: the broker that stored them did not stop within 15 s of SIGTERM and was killed");
            }
        }
        line("- then %s; data directory %,d MiB", kill ? "SIGKILL" : "stopped cleanly (SIGTERM)", treeSize(data) >> 20);
    }

    /** Publisher {@code first} of the fill: messages first, first + P, ... each to session (k mod S)'s topic. */
    private void fillFrom(InetSocketAddress address, int first) throws IOException {
        int total = options.startupMessages();
        int sessions = options.startupSessions();
        byte[] payload = new byte[options.payload()];
        Arrays.fill(payload, (byte) 'x');
        try (BenchClient c = BenchClient.open(InetAddress.getLoopbackAddress(), address)) {
            c.write(connectPacket("dc-fill-" + first, 0));
            expectConnack(c.read());
            PacketStream stream = new PacketStream(c.socket());
            int next = first;
            int inflight = 0;
            int id = 0;
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            while (next < total || inflight > 0) {
                while (next < total && inflight < FILL_WINDOW) {
                    id = id == 65_535 ? 1 : id + 1;
                    burst.writeBytes(BenchClient.encode(new PublishPacket("dc/stored/" + (next % sessions), 1, false,
                            false, id, Properties.EMPTY, Payload.wrap(payload))));
                    inflight++;
                    next += FILL_PUBLISHERS;
                }
                if (burst.size() > 0) {
                    stream.write(burst.toByteArray(), 0, burst.size());
                    burst.reset();
                }
                do {
                    stream.next();
                    if (stream.type() != 4 || (stream.bodyLength() > 2 && stream.buffer()[stream.bodyOffset() + 2] != 0)) {
                        throw new IOException("expected a successful PUBACK, received packet type " + stream.type());
                    }
                    inflight--;
                } while (stream.hasPacket());
            }
            c.write(BenchClient.encode(DisconnectPacket.NORMAL));
        }
    }

    private Start measureStart(Path data, String label, String name) throws IOException, InterruptedException {
        Path config = writeConfig(name, Mode.SYNC, data, queueLimit());
        out.printf("%n== %s: start with the stored messages, %s%n", name, label);
        awaitQuiet();
        try (BrokerProcess broker = BrokerProcess.start(options.jar(), options.brokerJvmOptions(), config,
                options.out().resolve("broker-" + name + ".log"))) {
            long ready = TimeUnit.NANOSECONDS.toMillis(broker.readyNanos());
            String log = broker.logText();
            Matcher m = STORAGE_READ.matcher(log);
            if (!m.find()) {
                throw new IllegalStateException("no 'Storage: read ...' line in the broker's log:\n" + log);
            }
            long logStart = logMillis(log, "starting on Java", "Ready.");
            Matcher heap = HEAP_USED.matcher(broker.jcmd("GC.heap_info"));
            long used = heap.find() ? Long.parseLong(heap.group(2)) << 10 : -1;
            String histogram = broker.jcmd("GC.class_histogram");
            Files.writeString(options.out().resolve("histogram-" + name + ".txt"), histogram, StandardCharsets.UTF_8);
            long live = ClassHistogram.parse(histogram).totalBytes();
            long rss = rss(broker.pid());
            Start s = new Start(label, ready, logStart, Long.parseLong(m.group(5)), Long.parseLong(m.group(1)),
                    Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), used, live, rss);
            out.printf("  ready in %,d ms (log: %,d ms from starting to Ready.; storage read %,d ms): %,d sessions,"
                    + " %,d messages, %,d deliveries; heap used %,d MiB, live %,d MiB, RSS %,d MiB%n", ready, logStart,
                    s.storageMillis, s.sessions, s.messages, s.deliveries, used >> 20, live >> 20, rss >> 20);
            if (!broker.stop()) {
                out.printf("  WARNING: the broker did not stop within 15 s of SIGTERM and was killed%n");
            }
            return s;
        }
    }

    /** Milliseconds between the log lines holding {@code from} and {@code to} (by their time stamps), or -1. */
    private static long logMillis(String log, String from, String to) {
        LocalTime a = null;
        LocalTime b = null;
        for (String l : log.split("\n")) {
            Matcher m = LOG_TIME.matcher(l);
            if (m.find()) {
                if (a == null && l.contains(from)) {
                    a = LocalTime.parse(m.group(1));
                }
                if (b == null && l.contains(to)) {
                    b = LocalTime.parse(m.group(1));
                }
            }
        }
        return a == null || b == null ? -1 : ChronoUnit.MILLIS.between(a, b);
    }

    private static long rss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) << 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * Other builds may share this machine: waits (at most {@code --quiet} seconds) until the other
     * processes use less than 0.25 cores for two seconds in a row.
     */
    private void awaitQuiet() throws InterruptedException {
        String note = ProcStats.awaitQuiet(options.quietSeconds());
        if (note != null) {
            out.printf("  %s%n", note);
        }
    }

    // ---- the disk ----

    record FsyncProbe(long perSecond, double p50Ms, double p99Ms) {
    }

    /** How fast this disk makes a small write durable, alone: what a group commit costs at least. */
    private static FsyncProbe probeFsync(Path dir) throws IOException {
        Path f = dir.resolve("fsync-probe");
        Latencies l = new Latencies();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(128);
            while (System.nanoTime() < end) {
                b.clear();
                ch.write(b);
                long t = System.nanoTime();
                ch.force(false);
                l.add(System.nanoTime() - t);
            }
        } finally {
            Files.deleteIfExists(f);
        }
        long[] v = Arrays.copyOf(l.values, l.size);
        Arrays.sort(v);
        return new FsyncProbe(v.length / 2, percentile(v, 0.5), percentile(v, 0.99));
    }

    private static String fileSystem(Path dir) {
        try {
            return Files.getFileStore(dir).type() + " file system";
        } catch (IOException e) {
            return "file system unknown";
        }
    }

    // ---- configuration, packets, files ----

    private Path writeConfig(String name, Mode mode, Path data, int maxQueued) throws IOException {
        StringBuilder y = new StringBuilder();
        if (mode == Mode.MEMORY) {
            y.append("storage:\n  type: memory\n");
        } else {
            y.append("storage:\n  type: rocksdb\n  dataDir: \"").append(data.toAbsolutePath()).append("\"\n")
                    .append("  durability: ").append(mode.durability).append('\n');
        }
        y.append("sessions:\n  maxQueuedMessages: ").append(maxQueued).append('\n');
        Path config = options.out().resolve("config-" + name + ".yaml");
        Files.writeString(config, y, StandardCharsets.UTF_8);
        return config;
    }

    /** A 5.0 CONNECT with Clean Start, keep alive 0; a Session Expiry Interval of 0 is left out. */
    private static byte[] connectPacket(String clientId, long expiry) {
        Properties props = expiry > 0 ? Properties.builder().sessionExpiryInterval(expiry).build() : Properties.EMPTY;
        return BenchClient.encode(new ConnectPacket(MqttVersion.V5, true, 0, clientId, null, null, null, props));
    }

    private static byte[] subscribe(String filter) {
        return BenchClient.encode(new SubscribePacket(1, List.of(new TopicSubscription(filter, 1)), Properties.EMPTY));
    }

    private static ConnackPacket expectConnack(MqttPacket p) throws IOException {
        if (!(p instanceof ConnackPacket c) || c.reasonCode() != ReasonCode.SUCCESS) {
            throw new IOException("expected a successful CONNACK, received " + p);
        }
        return c;
    }

    private static void expectSuback(MqttPacket p) throws IOException {
        if (!(p instanceof SubackPacket s) || !s.reasonCodes().equals(List.of(ReasonCode.GRANTED_QOS_1))) {
            throw new IOException("expected SUBACK granting QoS 1, received " + p);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    /** A line of the report: printed now, and written to OUT/results-*.md at the end. */
    private void line(String format, Object... args) {
        String s = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        out.println(s);
        report.append(s).append('\n');
    }
}
