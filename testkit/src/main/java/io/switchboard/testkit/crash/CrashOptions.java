package io.switchboard.testkit.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a crash test run does: how many cycles (one SIGKILL each), how long the load runs before
 * each kill, how fast the publishers go, and where the broker and its files are.
 *
 * @param cycles cycles, each ending with a SIGKILL of the broker and its restart
 * @param seed the seed of every random choice (load times, who goes offline when); printed, so a
 *     run's schedule can be repeated (the timing of a real process cannot)
 * @param minLoadMillis shortest load before a kill, counted once every client that should be
 *     connected is
 * @param maxLoadMillis longest load before a kill
 * @param ratePerPublisher messages per second each publisher sends at most (0: as fast as answered)
 * @param window messages each publisher may have unanswered at once
 * @param durability the broker's {@code storage.durability}: {@code sync}, {@code periodic} or {@code none}
 * @param jar the broker's runnable jar
 * @param workDirectory the broker's configuration, data directory and logs (one log per start)
 * @param drainTimeout how long the end may take: every answer in, every acknowledged message received
 * @param brokerJvmOptions JVM options of the broker
 */
public record CrashOptions(int cycles, long seed, long minLoadMillis, long maxLoadMillis, int ratePerPublisher,
        int window, String durability, Path jar, Path workDirectory, Duration drainTimeout,
        List<String> brokerJvmOptions) {

    static final String USAGE = """
            Usage: scripts/crash-test [OPTION]...
            Publishes at QoS 1 and 2 to persistent subscribers (some of them offline at times) while the
            broker is killed with SIGKILL and restarted, then accounts for every acknowledged message
            (docs/durability.md, "Crash test"). Exits 1 if an acknowledged message was lost or a QoS 2
            message delivered twice.

              --cycles N             kills of the broker (default 20)
              --seed N               seed of the random schedule (default: random, printed)
              --min-load-ms N        shortest load before a kill (default 300)
              --max-load-ms N        longest load before a kill (default 4000)
              --rate N               messages per second per publisher at most, 0: as fast as the broker
                                     answers, the window always full (default 0)
              --window N             unanswered messages per publisher at most (default 64)
              --durability D         sync, periodic or none (default sync)
              --jar FILE             the broker's runnable jar (default cli/target/switchboard.jar)
              --work DIR             configuration, data and logs (default target/crash-test)
              --drain-timeout-s N    time allowed at the end for every answer and delivery (default 120)
              --broker-jvm-options S JVM options of the broker (default "-Xmx512m")
            """;

    public CrashOptions {
        if (cycles < 1) {
            throw new IllegalArgumentException("--cycles " + cycles + ": at least 1");
        }
        if (minLoadMillis < 0 || maxLoadMillis < minLoadMillis) {
            throw new IllegalArgumentException("--min-load-ms " + minLoadMillis + " and --max-load-ms " + maxLoadMillis
                    + ": need 0 <= min <= max");
        }
        if (window < 1 || window > 65_535) {
            throw new IllegalArgumentException("--window " + window + ": allowed 1..65535");
        }
        if (ratePerPublisher < 0) {
            throw new IllegalArgumentException("--rate " + ratePerPublisher + ": 0 or more");
        }
        if (!List.of("sync", "periodic", "none").contains(durability)) {
            throw new IllegalArgumentException("--durability " + durability + ": one of sync, periodic, none");
        }
        brokerJvmOptions = List.copyOf(brokerJvmOptions);
    }

    /** The defaults of {@code scripts/crash-test}, with a random seed. */
    public static CrashOptions defaults() {
        return new CrashOptions(20, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), 300, 4000, 0, 64,
                "sync", Path.of("cli/target/switchboard.jar"), Path.of("target/crash-test"), Duration.ofSeconds(120),
                List.of("-Xmx512m"));
    }

    public CrashOptions withCycles(int n) {
        return new CrashOptions(n, seed, minLoadMillis, maxLoadMillis, ratePerPublisher, window, durability, jar,
                workDirectory, drainTimeout, brokerJvmOptions);
    }

    public CrashOptions withLoadMillis(long min, long max) {
        return new CrashOptions(cycles, seed, min, max, ratePerPublisher, window, durability, jar, workDirectory,
                drainTimeout, brokerJvmOptions);
    }

    public CrashOptions withJar(Path j) {
        return new CrashOptions(cycles, seed, minLoadMillis, maxLoadMillis, ratePerPublisher, window, durability, j,
                workDirectory, drainTimeout, brokerJvmOptions);
    }

    public CrashOptions withWorkDirectory(Path w) {
        return new CrashOptions(cycles, seed, minLoadMillis, maxLoadMillis, ratePerPublisher, window, durability, jar,
                w, drainTimeout, brokerJvmOptions);
    }

    public CrashOptions withDrainTimeout(Duration d) {
        return new CrashOptions(cycles, seed, minLoadMillis, maxLoadMillis, ratePerPublisher, window, durability, jar,
                workDirectory, d, brokerJvmOptions);
    }

    public CrashOptions withSeed(long s) {
        return new CrashOptions(cycles, s, minLoadMillis, maxLoadMillis, ratePerPublisher, window, durability, jar,
                workDirectory, drainTimeout, brokerJvmOptions);
    }

    /** The options, or null after printing the usage for {@code --help}; exits with status 2 on a bad option. */
    static CrashOptions parse(String[] args) {
        CrashOptions d = defaults();
        int cycles = d.cycles;
        long seed = d.seed;
        long min = d.minLoadMillis;
        long max = d.maxLoadMillis;
        int rate = d.ratePerPublisher;
        int window = d.window;
        String durability = d.durability;
        Path jar = d.jar;
        Path work = d.workDirectory;
        Duration drain = d.drainTimeout;
        List<String> jvm = d.brokerJvmOptions;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.print(USAGE);
                    return null;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--cycles" -> cycles = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--min-load-ms" -> min = Long.parseLong(value);
                    case "--max-load-ms" -> max = Long.parseLong(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--window" -> window = Integer.parseInt(value);
                    case "--durability" -> durability = value;
                    case "--jar" -> jar = Path.of(value);
                    case "--work" -> work = Path.of(value);
                    case "--drain-timeout-s" -> drain = Duration.ofSeconds(Long.parseLong(value));
                    case "--broker-jvm-options" -> jvm = Arrays.stream(value.trim().split("\\s+"))
                            .filter(s -> !s.isEmpty()).toList();
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no broker jar at " + jar.toAbsolutePath()
                        + "; build it with ./mvnw -B -q -pl cli -am package -DskipTests (the script does)");
            }
            return new CrashOptions(cycles, seed, min, max, rate, window, durability, jar, work, drain, jvm);
        } catch (IllegalArgumentException e) {
            System.err.println("crash-test: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return null;
        }
    }
}
