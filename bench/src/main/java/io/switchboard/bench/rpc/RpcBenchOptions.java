package io.switchboard.bench.rpc;

import static io.switchboard.bench.harness.Numbers.notNegative;
import static io.switchboard.bench.harness.Numbers.positive;

import io.switchboard.bench.harness.BrokerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The command line of {@link RpcBench}, checked early with a clear message. */
record RpcBenchOptions(List<Broker> brokers, List<Integer> concurrency, int seconds, int warmupSeconds, int warmupCalls,
        int brokerWarmupSeconds, int maxCalls, int runs, int payload, List<String> brokerJvmOptions, String brokerCpus,
        Path jar, Path hivemqClasspath, Path out, boolean jfr, int quietSeconds) {

    static final String USAGE = """
            Usage: scripts/rpc-bench [OPTION]...
            Request/response through the RPC library (io.switchboard.rpc) against Switchboard, Mosquitto and
            HiveMQ CE, each broker a child process pinned to its own core: calls per second and round-trip
            p50/p99 at concurrency 1 and 64, and the targets (see docs/performance.md, "Request/response (RPC)").

              --brokers LIST         switchboard (its defaults: RocksDB, durability sync), switchboard-memory
                                     (storage: memory), mosquitto (its defaults), mosquitto-nodelay
                                     (set_tcp_nodelay true), hivemq (its defaults) (default: all five)
              --concurrency LIST     calls kept in flight, one phase each (default 1,64)
              --seconds S            measured seconds per phase, at most (default 10)
              --max-calls N          measured calls per phase, at most (default 5000000)
              --broker-warmup S      after each broker starts, calls at the highest concurrency until the JIT
                                     compilers of the broker and of this JVM are quiet (under 0.02 cores for
                                     2 s; 6 s at least), S seconds at most (default 90; 0: none)
              --warmup-seconds S     warm-up before each phase, at the phase's concurrency, at most (default 3)
              --warmup-calls N       warm-up calls before each phase, at most (default 20000)
              --runs N               times everything is measured, a fresh broker each time; the summary
                                     gives the median of the runs (default 1)
              --payload N            request payload bytes, echoed back (default 64)
              --broker-jvm-options S JVM options of Switchboard's and HiveMQ's JVM (default "-Xms1g -Xmx1g")
              --broker-cpus LIST     the cores every broker is pinned to, taskset -c LIST (default 0);
                                     the generator (this JVM) is pinned by the script (taskset -c 1)
              --jar FILE             Switchboard's runnable jar (default cli/target/switchboard.jar)
              --hivemq-classpath F   a file holding HiveMQ CE's class path (default
                                     bench/target/hivemq-ce.classpath, written by the script)
              --out DIR              results, broker logs and data directories (default target/rpc-bench)
              --jfr                  profile the measured phase of the highest concurrency: the JVM brokers
                                     (jcmd JFR.start) and this JVM, CPU samples every millisecond, into
                                     OUT/jfr/, with the top frames in the report (perturbs the figures:
                                     profile in a run of its own)
              --quiet S              before each broker starts, wait up to S seconds for the other processes
                                     of the machine to use less than 0.25 cores (default 60; 0: do not wait)
            """;

    /** The JFR settings of --jfr, written by the benchmark: the JVM brokers read them as they start. */
    Path jfrSettings() {
        return out.resolve("jfr").resolve("cpu-sampling.jfc");
    }

    /** How the JVM brokers start: pinned to --broker-cpus, with --broker-jvm-options, profiled with --jfr. */
    BrokerLaunch launch() {
        return new BrokerLaunch(brokerCpus, jar, brokerJvmOptions, jfr ? jfrSettings() : null);
    }

    /** One broker under test. */
    enum Broker {
        SWITCHBOARD("switchboard"), SWITCHBOARD_MEMORY("switchboard-memory"), MOSQUITTO("mosquitto"),
        MOSQUITTO_NODELAY("mosquitto-nodelay"), HIVEMQ("hivemq");

        final String key;

        Broker(String key) {
            this.key = key;
        }

        boolean switchboard() {
            return this == SWITCHBOARD || this == SWITCHBOARD_MEMORY;
        }

        /** A broker Switchboard is compared with, at its defaults (the targets' peers) or tuned. */
        boolean peer() {
            return !switchboard();
        }

        static Broker of(String key) {
            for (Broker b : values()) {
                if (b.key.equals(key)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown broker '" + key + "': switchboard, switchboard-memory,"
                    + " mosquitto, mosquitto-nodelay or hivemq");
        }
    }

    /** The options, or null after printing the usage for {@code --help}; exits with status 2 on a bad option. */
    static RpcBenchOptions parse(String[] args) {
        List<Broker> brokers = List.of(Broker.values());
        List<Integer> concurrency = List.of(1, 64);
        int seconds = 10;
        int warmupSeconds = 3;
        int warmupCalls = 20_000;
        int brokerWarmup = 90;
        int maxCalls = 5_000_000;
        int runs = 1;
        int payload = 64;
        List<String> jvm = List.of("-Xms1g", "-Xmx1g");
        String cpus = "0";
        Path jar = Path.of("cli/target/switchboard.jar");
        Path hivemqClasspath = Path.of("bench/target/hivemq-ce.classpath");
        Path out = Path.of("target/rpc-bench");
        boolean jfr = false;
        int quiet = 60;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        return null;
                    }
                    case "--jfr" -> jfr = true;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + arg + " needs a value");
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--brokers" -> brokers = Arrays.stream(value.split(",")).map(String::trim)
                                    .map(Broker::of).distinct().toList();
                            case "--concurrency" -> concurrency = Arrays.stream(value.split(","))
                                    .map(s -> positive(arg, s.trim())).distinct().toList();
                            case "--seconds" -> seconds = positive(arg, value);
                            case "--max-calls" -> maxCalls = positive(arg, value);
                            case "--warmup-seconds" -> warmupSeconds = notNegative(arg, value);
                            case "--warmup-calls" -> warmupCalls = notNegative(arg, value);
                            case "--broker-warmup" -> brokerWarmup = notNegative(arg, value);
                            case "--runs" -> runs = positive(arg, value);
                            case "--payload" -> payload = notNegative(arg, value);
                            case "--broker-jvm-options" -> jvm = Arrays.stream(value.trim().split("\\s+"))
                                    .filter(s -> !s.isEmpty()).toList();
                            case "--broker-cpus" -> cpus = value.trim();
                            case "--jar" -> jar = Path.of(value);
                            case "--hivemq-classpath" -> hivemqClasspath = Path.of(value);
                            case "--out" -> out = Path.of(value);
                            case "--quiet" -> quiet = notNegative(arg, value);
                            default -> throw new IllegalArgumentException("unknown option " + arg);
                        }
                    }
                }
            }
            if (brokers.isEmpty()) {
                throw new IllegalArgumentException("--brokers: at least one");
            }
            for (int c : concurrency) {
                if (c > 10_000) {
                    throw new IllegalArgumentException("--concurrency " + c + ": at most 10000");
                }
            }
            if (maxCalls > 50_000_000) {
                throw new IllegalArgumentException("--max-calls " + maxCalls + ": at most 50000000 (8 bytes each)");
            }
            if (payload > 1_000_000) {
                throw new IllegalArgumentException("--payload " + payload + ": at most 1000000");
            }
            if (!cpus.matches("[0-9,-]+")) {
                throw new IllegalArgumentException("--broker-cpus '" + cpus + "': a list as taskset -c takes, e.g. 0 or 0,2-3");
            }
            if (brokers.stream().anyMatch(Broker::switchboard) && !Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no broker jar at " + jar.toAbsolutePath()
                        + "; build it with ./mvnw -B -q package -DskipTests -pl cli -am (the script does)");
            }
            if (brokers.contains(Broker.HIVEMQ) && !Files.isRegularFile(hivemqClasspath)) {
                throw new IllegalArgumentException("no HiveMQ CE class path at " + hivemqClasspath.toAbsolutePath()
                        + "; scripts/rpc-bench writes it (./mvnw -f bench/hivemq-ce/pom.xml dependency:build-classpath)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("rpc-bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        return new RpcBenchOptions(brokers, concurrency, seconds, warmupSeconds, warmupCalls, brokerWarmup, maxCalls, runs,
                payload, jvm, cpus, jar, hivemqClasspath, out, jfr, quiet);
    }
}
