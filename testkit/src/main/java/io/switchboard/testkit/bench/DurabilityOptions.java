package io.switchboard.testkit.bench;

import io.switchboard.testkit.bench.DurabilityCost.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The command line of {@link DurabilityCost}. */
record DurabilityOptions(List<Mode> modes, List<Integer> publishers, int window, int maxLag, int payload, int warmupSeconds,
        int durationSeconds, int runs, boolean throughput, boolean startup, int startupMessages, int startupSessions,
        int startupRestarts, boolean startupKill, Path jar, List<String> brokerJvmOptions, Path out, Path data,
        boolean jfr, boolean perf, int quietSeconds, boolean syscalls) {

    static final String USAGE = """
            Usage: scripts/durability-cost [OPTION]...
            Measures what durable storage costs the broker (see docs/durability.md, "Cost"): QoS 1
            point-to-point throughput and publish-to-PUBACK latency with storage memory and RocksDB with
            durability none, periodic and sync, and the start-up time with 1,000,000 stored messages.

              --modes LIST           memory, none, periodic, sync (default: all four)
              --publishers LIST      publisher counts, each paired with its own subscriber (default 1,8,64)
              --window N             unacknowledged PUBLISHes each publisher keeps in flight (default 16)
              --max-lag N            messages a publisher may be ahead of its subscriber (default 512): the
                                     broker drops the newest message of a full session queue (1,000 by
                                     default) rather than slow the publisher, so it must not fill up
              --payload N            payload bytes per message (default 100)
              --warmup S             seconds of traffic before the measured part, per cell (default 5)
              --duration S           measured seconds per cell (default 10)
              --runs N               times each cell is measured, each time with a fresh broker (default 1)
              --scenarios LIST       throughput, startup or both (default throughput,startup)
              --startup-messages N   messages stored for the start-up measurement (default 1000000)
              --startup-sessions N   offline sessions holding them, N messages / sessions each (default 100)
              --startup-restarts N   starts measured after the clean stop (default 2)
              --no-kill              skip the start-up after SIGKILL (which fills a second store)
              --broker-jvm-options S JVM options of the broker (default "-Xms2g -Xmx2g -XX:+UseG1GC")
              --jar FILE             the broker's runnable jar (default cli/target/switchboard.jar)
              --out DIR              results, broker logs, configurations (default target/durability-cost)
              --data DIR             where the data directories are made and deleted (default OUT/data);
                                     it must be on the disk to measure, not a tmpfs
              --jfr                  record the broker with JFR (settings=profile) during each measured
                                     part, into OUT/jfr/CELL.jfr (perturbs the figures a little)
              --syscalls             also summarize every system call of the broker by thread with
                                     perf trace -s during each measured part, into OUT/syscalls-CELL.txt
                                     (slows the broker down noticeably: for profiling only)
              --fsync-trace          count and time the storage thread's fsyncs with perf trace during
                                     each measured part (a profile: tracing makes every system call of
                                     that thread slower, which cost sync a fifth of its throughput)
              --quiet S              before each measurement, wait up to S seconds for the other
                                     processes of the machine to use less than 0.25 cores (default 180;
                                     0: do not wait). Their CPU time is reported either way
            """;

    /** The options, or null after printing the usage for {@code --help}; exits with status 2 on a bad option. */
    static DurabilityOptions parse(String[] args) {
        List<Mode> modes = List.of(Mode.values());
        List<Integer> publishers = List.of(1, 8, 64);
        int window = 16;
        int maxLag = 512;
        int quiet = 180;
        int payload = 100;
        int warmup = 5;
        int duration = 10;
        int runs = 1;
        boolean throughput = true;
        boolean startup = true;
        int startupMessages = 1_000_000;
        int startupSessions = 100;
        int startupRestarts = 2;
        boolean kill = true;
        Path jar = Path.of("cli/target/switchboard.jar");
        List<String> jvm = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");
        Path out = Path.of("target/durability-cost");
        Path data = null;
        boolean jfr = false;
        boolean perf = false;
        boolean syscalls = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return null;
                    }
                    case "--no-kill" -> kill = false;
                    case "--jfr" -> jfr = true;
                    case "--fsync-trace" -> perf = true;
                    case "--syscalls" -> syscalls = true;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + arg + " needs a value");
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--modes" -> modes = Arrays.stream(value.split(","))
                                    .map(s -> Mode.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
                            case "--publishers" -> publishers = Arrays.stream(value.split(","))
                                    .map(s -> positive(arg, s.trim())).toList();
                            case "--window" -> window = positive(arg, value);
                            case "--max-lag" -> maxLag = positive(arg, value);
                            case "--quiet" -> quiet = Integer.parseInt(value);
                            case "--payload" -> payload = Integer.parseInt(value);
                            case "--warmup" -> warmup = Integer.parseInt(value);
                            case "--duration" -> duration = positive(arg, value);
                            case "--runs" -> runs = positive(arg, value);
                            case "--scenarios" -> {
                                List<String> s = Arrays.stream(value.split(",")).map(String::trim).toList();
                                for (String x : s) {
                                    if (!x.equals("throughput") && !x.equals("startup")) {
                                        throw new IllegalArgumentException("unknown scenario " + x);
                                    }
                                }
                                throughput = s.contains("throughput");
                                startup = s.contains("startup");
                            }
                            case "--startup-messages" -> startupMessages = positive(arg, value);
                            case "--startup-sessions" -> startupSessions = positive(arg, value);
                            case "--startup-restarts" -> startupRestarts = positive(arg, value);
                            case "--broker-jvm-options" -> jvm = Arrays.stream(value.trim().split("\\s+"))
                                    .filter(s -> !s.isEmpty()).toList();
                            case "--jar" -> jar = Path.of(value);
                            case "--out" -> out = Path.of(value);
                            case "--data" -> data = Path.of(value);
                            default -> throw new IllegalArgumentException("unknown option " + arg);
                        }
                    }
                }
            }
            if (maxLag < window) {
                throw new IllegalArgumentException("--max-lag " + maxLag + " is below --window " + window);
            }
            if (window > 1000) {
                throw new IllegalArgumentException("--window " + window + ": at most 1000 (below the broker's"
                        + " Receive Maximum and far below the 65,535 packet identifiers)");
            }
            if (payload < 0 || payload > 1_000_000) {
                throw new IllegalArgumentException("--payload " + payload + ": allowed 0..1000000");
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup " + warmup + ": must not be negative");
            }
            if (startupMessages % startupSessions != 0) {
                throw new IllegalArgumentException("--startup-messages must be a multiple of --startup-sessions");
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no broker jar at " + jar.toAbsolutePath()
                        + "; build it with ./mvnw -B -q package -DskipTests (the script does)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("durability-cost: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        return new DurabilityOptions(modes, publishers, window, maxLag, payload, warmup, duration, runs, throughput, startup,
                startupMessages, startupSessions, startupRestarts, kill, jar, jvm, out,
                data == null ? out.resolve("data") : data, jfr, perf, quiet, syscalls);
    }

    private static int positive(String option, String value) {
        int v = Integer.parseInt(value);
        if (v <= 0) {
            throw new IllegalArgumentException(option + " " + value + ": must be positive");
        }
        return v;
    }
}
