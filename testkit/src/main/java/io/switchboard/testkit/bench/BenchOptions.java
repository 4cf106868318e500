package io.switchboard.testkit.bench;

import io.switchboard.testkit.bench.MemoryPerConnection.Options;
import io.switchboard.testkit.bench.MemoryPerConnection.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The command line of {@link MemoryPerConnection}, and the checks that fail early with a clear message. */
final class BenchOptions {
    /** File descriptors a JVM needs besides the connections: jars, epoll, event fds, logs. */
    private static final int FD_MARGIN = 200;

    static final String USAGE = """
            Usage: scripts/memory-per-connection [OPTION]...
            Measures the broker's live heap per idle MQTT 5 connection and per offline persistent
            session with one subscription (see docs/performance.md, "Memory per connection").

              --connections N        connections or sessions per scenario (default 50000)
              --scenarios LIST       idle, offline or idle,offline (default idle,offline)
              --keep-alive S         keep alive of the idle connections, in seconds (default 0: none);
                                     the broker closes them after 1.5 S, so S must outlast the run
              --broker-jvm-options S JVM options of the broker (default "-Xms2g -Xmx2g -XX:+UseG1GC")
              --jar FILE             the broker's runnable jar (default cli/target/switchboard.jar)
              --batch N              connections opened before their CONNACKs are read (default 500)
              --warmup N             connections run through the broker before the baseline (default 2000)
              --top N                classes listed per scenario (default 25)
              --out DIR              histograms, differences and broker logs (default target/memory-per-connection)
              --heap-dump            also write the broker's heap after each scenario to DIR/heap-SCENARIO.hprof
            """;

    private BenchOptions() {
    }

    /** The options, or null after printing the usage for {@code --help}; exits with status 2 on a bad option. */
    static Options parse(String[] args) {
        int connections = 50_000;
        List<Scenario> scenarios = List.of(Scenario.IDLE, Scenario.OFFLINE);
        Path jar = Path.of("cli/target/switchboard.jar");
        List<String> jvm = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");
        int keepAlive = 0;
        int batch = 500;
        int warmup = 2_000;
        int top = 25;
        Path out = Path.of("target/memory-per-connection");
        boolean heapDump = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.print(USAGE);
                    return null;
                }
                if (arg.equals("--heap-dump")) {
                    heapDump = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--connections" -> connections = positive(arg, value);
                    case "--scenarios" -> scenarios = Arrays.stream(value.split(","))
                            .map(s -> Scenario.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
                    case "--keep-alive" -> keepAlive = Integer.parseInt(value);
                    case "--broker-jvm-options" -> jvm = Arrays.stream(value.trim().split("\\s+"))
                            .filter(s -> !s.isEmpty()).toList();
                    case "--jar" -> jar = Path.of(value);
                    case "--batch" -> batch = positive(arg, value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--top" -> top = positive(arg, value);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (keepAlive < 0 || keepAlive > 65_535) {
                throw new IllegalArgumentException("--keep-alive " + keepAlive + ": allowed 0..65535");
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no broker jar at " + jar.toAbsolutePath()
                        + "; build it with ./mvnw -B -q package -DskipTests (the script does)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("memory-per-connection: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        if (scenarios.contains(Scenario.IDLE)) {
            try {
                checkFileLimit(connections);
            } catch (IllegalStateException e) {
                System.err.println("memory-per-connection: " + e.getMessage());
                System.exit(2);
            }
        }
        return new Options(connections, scenarios, jar, jvm, keepAlive, batch, warmup, top, out, heapDump);
    }

    private static int positive(String option, String value) {
        int v = Integer.parseInt(value);
        if (v <= 0) {
            throw new IllegalArgumentException(option + " " + value + ": must be positive");
        }
        return v;
    }

    /**
     * The idle scenario holds every connection open: this JVM and the broker's each need a file
     * descriptor per connection. The JVM raises its soft limit to the hard one at start, so the soft
     * limit read here is what both get.
     */
    private static void checkFileLimit(int connections) {
        long[] limits = openFileLimits();
        if (limits != null && limits[0] < connections + FD_MARGIN) {
            throw new IllegalStateException(String.format("the idle scenario with %,d connections needs %,d open"
                    + " files in this JVM and in the broker's, but a process may open only %,d here (ulimit -n; hard"
                    + " limit %,d; raising the hard limit needs root with CAP_SYS_RESOURCE). Lower --connections to"
                    + " at most %,d, or raise the limit.", connections, connections + FD_MARGIN, limits[0], limits[1],
                    limits[0] - FD_MARGIN));
        }
    }

    /** {soft, hard} from /proc/self/limits, or null where there is no such file. */
    private static long[] openFileLimits() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    List<String> f = new ArrayList<>(Arrays.asList(line.substring("Max open files".length()).trim().split("\\s+")));
                    return new long[] {parseLimit(f.get(0)), parseLimit(f.get(1))};
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no check
        }
        return null;
    }

    private static long parseLimit(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
