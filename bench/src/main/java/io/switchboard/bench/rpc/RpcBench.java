package io.switchboard.bench.rpc;

import io.switchboard.bench.harness.CpuSampling;
import io.switchboard.bench.harness.JfrTop;
import io.switchboard.bench.harness.JitWarmUp;
import io.switchboard.bench.harness.Machine;
import io.switchboard.bench.rpc.RpcBenchOptions.Broker;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.ServeOptions;
import io.switchboard.testkit.bench.ProcStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import jdk.jfr.Recording;

/**
 * Request/response through the RPC library against Switchboard, Mosquitto and HiveMQ CE: calls per
 * second and round-trip latency at concurrency 1 and 64, and the targets of the issue that asked for
 * it. Run by {@code scripts/rpc-bench}; what it measures and its figures are in
 * {@code docs/performance.md}, section "Request/response (RPC)".
 *
 * <p>For each run and each broker: the broker started as a child process pinned to core 0
 * ({@link BrokerUnderTest}); in this JVM (pinned to core 1 by the script) one responder
 * {@link RpcClient} serving an echo on {@value #TOPIC} and one caller {@link RpcClient}, both with the
 * library's defaults (QoS 1 both ways, timeout 10 s); for each concurrency a warm-up, then a measured
 * phase ({@link Load}), the CPU time of the broker's process and of this one read from /proc over it;
 * then the clients closed and the broker stopped. Every phase is bounded in time and in calls.
 */
public final class RpcBench {
    static final String TOPIC = "bench/echo";
    /** Calls per second at concurrency 64: Switchboard's at least this many times the best peer's. */
    static final double THROUGHPUT_TARGET = 1.5;
    private static final int TARGET_CONCURRENCY = 64;
    /** A JFR recording of a measured phase. */
    private record Profile(String title, Path file, Instant from, Instant to) {
    }

    private final RpcBenchOptions options;
    private final String[] args;
    private final PrintStream out = System.out;
    private final StringBuilder report = new StringBuilder();
    private final Map<Broker, String> versions = new LinkedHashMap<>();
    private final List<Profile> profiles = new ArrayList<>();

    private RpcBench(RpcBenchOptions options, String[] args) {
        this.options = options;
        this.args = args;
    }

    public static void main(String[] args) throws Exception {
        RpcBenchOptions options = RpcBenchOptions.parse(args);
        if (options == null) {
            return; // --help
        }
        new RpcBench(options, args).run();
    }

    /** One measured phase: a broker, a concurrency, a run. */
    record Cell(Broker broker, int concurrency, int run, Load.Result result, ProcStats.Delta brokerCpu,
            ProcStats.Delta generatorCpu) {
    }

    private void run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        Recording primer = null;
        if (options.jfr()) {
            // Turning JFR's sampling on makes a JVM compile again: done now, before any warm-up, in this
            // JVM, and in each broker's at its start (-XX:StartFlightRecording), not in a measured phase.
            CpuSampling.write(options.jfrSettings());
            primer = CpuSampling.recording(options.jfrSettings());
            primer.setToDisk(false);
            primer.start();
        }
        try {
            measureAll();
        } finally {
            if (primer != null) {
                primer.close();
            }
        }
    }

    private void measureAll() throws IOException, InterruptedException {
        String stamp = Machine.stamp();
        line("# RPC benchmark, %s", stamp);
        line("");
        line("- command: scripts/rpc-bench %s", String.join(" ", args));
        line("- Switchboard: commit %s", Machine.commit());
        line("- %s", Machine.jdkAndCpu());
        line("- generator (this JVM: responder and caller, the RPC library): CPUs %s, JVM options %s",
                Machine.affinity(), Machine.jvmOptions());
        line("- brokers: taskset -c %s; JVM brokers with %s", options.brokerCpus(),
                String.join(" ", options.brokerJvmOptions()));
        line("- payload %d bytes, echoed; QoS 1 both ways; after each broker starts a warm-up at c=%d until the JIT"
                + " compilers of the broker and of the generator are quiet (under %.2f cores for %d s; %d s at least,"
                + " %d s at most); before each phase a warm-up of up to %d s or %,d calls, then measured up to %d s or"
                + " %,d calls; %d run(s)", options.payload(), Collections.max(options.concurrency()),
                JitWarmUp.QUIET_CORES, JitWarmUp.STEP_SECONDS, JitWarmUp.MIN_SECONDS, options.brokerWarmupSeconds(), options.warmupSeconds(),
                options.warmupCalls(), options.seconds(), options.maxCalls(), options.runs());
        byte[] payload = new byte[options.payload()];
        new Random(42).nextBytes(payload);
        int maxConcurrency = Collections.max(options.concurrency());
        List<Cell> cells = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            for (Broker broker : options.brokers()) {
                measureBroker(broker, run, payload, maxConcurrency, cells);
            }
        }
        summary(cells);
        String name = Machine.reportName(stamp);
        Files.writeString(options.out().resolve(name), report, StandardCharsets.UTF_8);
        out.printf("%nThis report: %s%n", options.out().resolve(name).toAbsolutePath());
    }

    private void measureBroker(Broker broker, int run, byte[] payload, int maxConcurrency, List<Cell> cells)
            throws IOException, InterruptedException {
        out.printf("%n== %s, run %d%n", broker.key, run);
        String quiet = ProcStats.awaitQuiet(options.quietSeconds());
        if (quiet != null) {
            out.printf("  %s%n", quiet);
        }
        String name = broker.key + "-r" + run;
        Path log = options.out().resolve(name + ".log");
        try (BrokerUnderTest b = BrokerUnderTest.start(broker, options, options.out().resolve("data").resolve(name), log)) {
            if (b.version() != null) {
                versions.put(broker, b.version());
            }
            out.printf("  pid %d on 127.0.0.1:%d%s, log %s%n", b.pid(), b.port(),
                    b.version() == null ? "" : ", version " + b.version(), log);
            RpcClient responder = null;
            RpcClient caller = null;
            try {
                responder = RpcClient.builder().host("127.0.0.1").port(b.port()).clientId("rpc-bench-responder")
                        .automaticReconnect(false).connect();
                responder.serveAsync(TOPIC, request -> CompletableFuture.completedFuture(Response.of(request.payload())),
                        ServeOptions.defaults());
                caller = RpcClient.builder().host("127.0.0.1").port(b.port()).clientId("rpc-bench-caller")
                        .automaticReconnect(false).connect();
                Load load = new Load(caller, TOPIC, payload, options.maxCalls(), maxConcurrency);
                warmUp(b, load, maxConcurrency);
                for (int c : options.concurrency()) {
                    cells.add(measure(b, load, c, run, options.jfr() && c == maxConcurrency));
                }
            } finally {
                if (caller != null) {
                    caller.close();
                }
                if (responder != null) {
                    responder.close();
                }
            }
        }
    }

    /**
     * Calls at {@code concurrency} until the JIT compilers of the broker and of this JVM are quiet
     * ({@link JitWarmUp}), at most {@code --broker-warmup} s.
     */
    private void warmUp(BrokerUnderTest b, Load load, int concurrency) throws IOException, InterruptedException {
        long[] calls = {0};
        Load.Result[] last = {null};
        JitWarmUp.Outcome o = JitWarmUp.run(b.pid(), options.brokerWarmupSeconds(), nanos -> {
            Load.Result w = load.run(concurrency, nanos, Integer.MAX_VALUE / 2);
            warnFailures("warm-up", concurrency, w);
            calls[0] += w.calls();
            last[0] = w;
            return w.errors() == 0;
        });
        if (o != null) {
            out.printf("  warm-up: %,d calls in %.0f s at c=%d (the last %d s: %,.0f calls/s, %s)%n", calls[0],
                    o.seconds(), concurrency, JitWarmUp.STEP_SECONDS, last[0].perSecond(), o.describe());
        }
    }

    private Cell measure(BrokerUnderTest b, Load load, int concurrency, int run, boolean profile)
            throws IOException, InterruptedException {
        if (options.warmupSeconds() > 0 && options.warmupCalls() > 0) {
            Load.Result w = load.run(concurrency, TimeUnit.SECONDS.toNanos(options.warmupSeconds()), options.warmupCalls());
            warnFailures("warm-up", concurrency, w);
        }
        String name = b.kind.key + "-c" + concurrency + "-r" + run;
        Path jfrDir = options.jfrSettings().toAbsolutePath().getParent();
        Recording generatorRecording = null;
        if (profile) {
            // The JVMs already record with these settings since they started (the primer recordings), so
            // starting one more recording now compiles nothing again: it only keeps this phase's samples.
            if (b.jvm() != null) {
                b.jvm().jcmd("JFR.start", "name=rpc-bench", "settings=" + options.jfrSettings().toAbsolutePath());
            }
            generatorRecording = CpuSampling.recording(options.jfrSettings());
            generatorRecording.start();
        }
        long self = ProcessHandle.current().pid();
        ProcStats brokerBefore = ProcStats.read(b.pid());
        ProcStats selfBefore = ProcStats.read(self);
        Instant from = Instant.now();
        Load.Result r = load.run(concurrency, TimeUnit.SECONDS.toNanos(options.seconds()), options.maxCalls());
        Instant to = Instant.now();
        ProcStats brokerAfter = ProcStats.read(b.pid());
        ProcStats selfAfter = ProcStats.read(self);
        ProcStats.Delta brokerCpu = brokerBefore == null || brokerAfter == null ? null : brokerAfter.since(brokerBefore);
        ProcStats.Delta selfCpu = selfBefore == null || selfAfter == null ? null : selfAfter.since(selfBefore);
        Cell cell = new Cell(b.kind, concurrency, run, r, brokerCpu, selfCpu);
        out.printf("  c=%-3d %,10.0f calls/s  p50 %8.1f µs  p99 %8.1f µs  p99.9 %8.1f µs  max %9.1f µs  (%,d calls in"
                + " %.1f s, %d errors)%n", concurrency, r.perSecond(), r.p50Us(), r.p99Us(), r.p999Us(), r.maxUs(),
                r.calls(), r.seconds(), r.errors());
        out.printf("        broker CPU %s: %s%n", cores(brokerCpu), brokerCpu == null ? "-" : brokerCpu.top(4));
        out.printf("        generator CPU %s: %s%n", cores(selfCpu), selfCpu == null ? "-" : selfCpu.top(4));
        out.printf("        other processes of the machine: %s cores%n", other(cell));
        warnFailures("measured phase", concurrency, r);
        if (profile) {
            if (b.jvm() != null) {
                Path file = jfrDir.resolve(name + "-broker.jfr");
                b.jvm().jcmd("JFR.stop", "name=rpc-bench", "filename=" + file);
                profiles.add(new Profile(b.kind.key + " broker, c=" + concurrency + ", run " + run, file, from, to));
            }
            generatorRecording.stop();
            Path file = jfrDir.resolve(name + "-generator.jfr");
            generatorRecording.dump(file);
            generatorRecording.close();
            profiles.add(new Profile("generator against " + b.kind.key + ", c=" + concurrency + ", run " + run, file, from,
                    to));
        }
        return cell;
    }

    private void warnFailures(String phase, int concurrency, Load.Result r) {
        if (r.errors() > 0 || r.unfinished() > 0) {
            out.printf("  WARNING: %s at c=%d: %d failed call(s) (the first: %s), %d unfinished%n", phase, concurrency,
                    r.errors(), r.firstError(), r.unfinished());
        }
    }

    // ---- the report ----

    private void summary(List<Cell> cells) throws IOException {
        line("");
        if (options.runs() > 1) {
            line("## Each run");
            line("");
            table(cells, true);
        }
        line("## Summary%s", options.runs() > 1 ? " (median of " + options.runs() + " runs)" : "");
        line("");
        line("Round trip: from just before calling to the reply, in the caller. CPU: cores used during the"
                + " measured phase (1.00 = a whole core), by the broker's process, by the generator's (this JVM:"
                + " caller and responder), and by everything else on the machine (other processes, the kernel,"
                + " time stolen by the hypervisor: the noise).");
        line("");
        List<Cell> medians = new ArrayList<>();
        for (Broker broker : options.brokers()) {
            for (int c : options.concurrency()) {
                List<Cell> these = cells.stream().filter(x -> x.broker == broker && x.concurrency == c).toList();
                if (!these.isEmpty()) {
                    medians.add(median(these));
                }
            }
        }
        table(medians, false);
        line("Where the CPU went (the run with the median calls/s; threads by name, cores used, in brackets"
                + " cores runnable but waiting):");
        line("");
        for (Cell c : medians) {
            line("- %s, c=%d: broker %s; generator %s", c.broker.key, c.concurrency,
                    c.brokerCpu == null ? "-" : c.brokerCpu.top(4), c.generatorCpu == null ? "-" : c.generatorCpu.top(4));
        }
        line("");
        String mosquitto = versions.getOrDefault(Broker.MOSQUITTO, versions.get(Broker.MOSQUITTO_NODELAY));
        line("Versions: Switchboard %s; %s; %s", Machine.commit(),
                mosquitto == null ? "Mosquitto not run" : "Mosquitto " + mosquitto,
                versions.containsKey(Broker.HIVEMQ) ? "HiveMQ CE " + versions.get(Broker.HIVEMQ) : "HiveMQ CE not run");
        line("");
        targets(medians);
        for (Cell c : cells) {
            if (c.result.errors() > 0 || c.result.unfinished() > 0) {
                line("");
                line("WARNING: %s, c=%d, run %d: %d failed call(s) (the first: %s), %d unfinished", c.broker.key,
                        c.concurrency, c.run, c.result.errors(), c.result.firstError(), c.result.unfinished());
            }
        }
        if (!profiles.isEmpty()) {
            line("");
            line("## Profiles (JFR: CPU samples of threads running Java code, every millisecond)");
            line("");
            for (Profile p : profiles) {
                String s = JfrTop.summarize(p.file, p.from, p.to, p.title, 12);
                out.print(s);
                report.append(s);
            }
        }
    }

    private void table(List<Cell> cells, boolean withRun) {
        line("| broker | c |%s calls/s | p50 µs | p99 µs | p99.9 µs | max µs | calls | errors | broker CPU | generator CPU"
                + " | other CPU |", withRun ? " run |" : "");
        line("|---|---:|%s---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", withRun ? "---:|" : "");
        for (Cell c : cells) {
            Load.Result r = c.result;
            line("| %s | %d |%s %,.0f | %.1f | %.1f | %.1f | %.1f | %,d | %d | %s | %s | %s |", c.broker.key,
                    c.concurrency, withRun ? " " + c.run + " |" : "", r.perSecond(), r.p50Us(), r.p99Us(), r.p999Us(),
                    r.maxUs(), r.calls(), r.errors(), cores(c.brokerCpu), cores(c.generatorCpu), other(c));
        }
        line("");
    }

    /**
     * Each figure the median of the runs, on its own; the CPU figures and the counts of the run with
     * the median calls/s (for an even count, the lower middle).
     */
    private static Cell median(List<Cell> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        List<Cell> byRate = runs.stream().sorted(Comparator.comparingDouble(c -> c.result.perSecond())).toList();
        Cell mid = byRate.get((byRate.size() - 1) / 2);
        Load.Result m = mid.result;
        Load.Result r = new Load.Result(m.concurrency(), m.calls(), runs.stream().mapToLong(c -> c.result.errors()).sum(),
                m.firstError(), m.seconds(), median(runs, Load.Result::perSecond), median(runs, Load.Result::p50Us),
                median(runs, Load.Result::p99Us), median(runs, Load.Result::p999Us), median(runs, Load.Result::maxUs),
                runs.stream().mapToLong(c -> c.result.unfinished()).sum());
        return new Cell(mid.broker, mid.concurrency, 0, r, mid.brokerCpu, mid.generatorCpu);
    }

    private static double median(List<Cell> runs, ToDoubleFunction<Load.Result> f) {
        double[] v = runs.stream().mapToDouble(c -> f.applyAsDouble(c.result)).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The two targets, for Switchboard with its defaults and, when measured, in memory: against the
     * peers at their defaults (Mosquitto, HiveMQ CE), as the issue asks, and, when measured, also
     * against Mosquitto with Nagle's algorithm off.
     */
    private void targets(List<Cell> medians) {
        line("## Targets");
        line("");
        line("Against the peers at their defaults (mosquitto, hivemq):");
        line("");
        targets(medians, List.of(Broker.MOSQUITTO, Broker.HIVEMQ));
        if (medians.stream().anyMatch(c -> c.broker == Broker.MOSQUITTO_NODELAY)) {
            line("");
            line("Against the peers with Mosquitto's Nagle's algorithm off too (mosquitto, mosquitto-nodelay, hivemq):");
            line("");
            targets(medians, List.of(Broker.MOSQUITTO, Broker.MOSQUITTO_NODELAY, Broker.HIVEMQ));
        }
    }

    private void targets(List<Cell> medians, List<Broker> peers) {
        for (Broker sb : List.of(Broker.SWITCHBOARD, Broker.SWITCHBOARD_MEMORY)) {
            Cell fast = find(medians, sb, TARGET_CONCURRENCY);
            Cell one = find(medians, sb, 1);
            if (fast == null && one == null) {
                continue;
            }
            Cell bestFast = medians.stream().filter(c -> peers.contains(c.broker) && c.concurrency == TARGET_CONCURRENCY)
                    .max(Comparator.comparingDouble(c -> c.result.perSecond())).orElse(null);
            if (fast == null || bestFast == null) {
                line("- %s: calls/s at c=%d ≥ %.1f × the best peer's: not measured (needs %s and a peer at c=%d)", sb.key,
                        TARGET_CONCURRENCY, THROUGHPUT_TARGET, sb.key, TARGET_CONCURRENCY);
            } else {
                double ratio = fast.result.perSecond() / bestFast.result.perSecond();
                line("- %s: calls/s at c=%d: %,.0f ÷ %,.0f (%s, the best peer) = %.2f × (target ≥ %.1f ×): **%s**", sb.key,
                        TARGET_CONCURRENCY, fast.result.perSecond(), bestFast.result.perSecond(), bestFast.broker.key,
                        ratio, THROUGHPUT_TARGET, ratio >= THROUGHPUT_TARGET ? "met" : "missed");
            }
            Cell bestOne = medians.stream().filter(c -> peers.contains(c.broker) && c.concurrency == 1)
                    .min(Comparator.comparingDouble(c -> c.result.p50Us())).orElse(null);
            if (one == null || bestOne == null) {
                line("- %s: p50 at c=1 no worse than the best peer's: not measured (needs %s and a peer at c=1)", sb.key,
                        sb.key);
            } else {
                boolean met = one.result.p50Us() <= bestOne.result.p50Us();
                line("- %s: p50 at c=1: %.1f µs against %.1f µs (%s, the best peer): %+.1f µs, %+.0f %% (target: no"
                        + " worse): **%s**", sb.key, one.result.p50Us(), bestOne.result.p50Us(), bestOne.broker.key,
                        one.result.p50Us() - bestOne.result.p50Us(),
                        100 * (one.result.p50Us() / bestOne.result.p50Us() - 1), met ? "met" : "missed");
            }
        }
    }

    private static Cell find(List<Cell> cells, Broker broker, int concurrency) {
        return cells.stream().filter(c -> c.broker == broker && c.concurrency == concurrency).findFirst().orElse(null);
    }

    /** CPU time of every other process of the machine (and the kernel's, and steal), in cores: the noise. */
    private static String other(Cell c) {
        if (c.brokerCpu == null || c.generatorCpu == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", Math.max(0, c.brokerCpu.machineCores() - c.brokerCpu.cores()
                - c.generatorCpu.cores()) + c.brokerCpu.machineSteal());
    }

    private static String cores(ProcStats.Delta d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d.cores());
    }

    private void line(String format, Object... values) {
        String s = String.format(Locale.ROOT, format, values);
        out.println(s);
        report.append(s).append('\n');
    }
}
