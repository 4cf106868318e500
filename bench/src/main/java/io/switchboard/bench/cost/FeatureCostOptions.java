package io.switchboard.bench.cost;

import static io.switchboard.bench.harness.Numbers.notNegative;
import static io.switchboard.bench.harness.Numbers.positive;

import io.switchboard.bench.authz.FleetPolicy;
import io.switchboard.bench.harness.BrokerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The command line of {@link FeatureCost} (scripts/authz-cost, scripts/rules-cost), checked early with a clear message. */
record FeatureCostOptions(List<Setup> setups, List<Integer> qos, int pairs, int window, int payload, int seconds,
        int warmupSeconds, int brokerWarmupSeconds, long maxMessages, int runs, int clients, int topicSpaces,
        boolean pairBindingFirst, int iterations, int rules, List<String> brokerJvmOptions, String brokerCpus, Path jar, Path out, boolean jfr,
        int quietSeconds, int attempts) {

    static final String USAGE = """
            Usage: scripts/authz-cost [OPTION]...   (--setups allow-all,policy)
                   scripts/rules-cost [OPTION]...   (--setups allow-all,rules)
            What a feature costs the broker: point-to-point throughput (messages delivered per second) at
            QoS 0 and QoS 1 of Switchboard with nothing in its way (allow-all) and of Switchboard deciding by
            a policy of 10,000 registered clients and 100 topic spaces, or running 1,000 rules none of whose
            filters matches the load; the broker pinned to one core and the load to the other; then each
            setup's ratio to allow-all and its target (see docs/performance.md, "Authorization cost" and
            "Rules cost").

              --setups LIST          allow-all (no security section, no rules), policy (security.policy: the
                                     generated policy file), rules (rules.file: the generated rules file)
                                     (default allow-all,policy; in alternating order each run); or
                                     rules-ab: one broker per run, each QoS measured with the rules in
                                     force and with none (the file switched, reloadCheckSeconds 1), in
                                     alternating order: no difference between broker processes
              --qos LIST             the QoS of the phases, one phase each (default 0,1)
              --pairs P              talker and listener pairs of the load, spread over the fleet (default 64)
              --window W             messages of a pair on their way at most: written but not yet delivered
                                     (and, at QoS 1, not yet acknowledged) (default 16)
              --payload N            payload bytes per message (default 64)
              --seconds S            measured seconds per phase (default 10)
              --max-messages N       messages written per phase at most, warm-up included (default 200000000)
              --warmup-seconds S     traffic before each phase's measured part (default 3)
              --broker-warmup S      after each broker starts, traffic (QoS 0 and 1 in turns) until the JIT
                                     compilers of the broker and of this JVM are quiet (under 0.02 cores for 2 s;
                                     6 s at least), S seconds at most (default 90; 0: none)
              --runs N               times everything is measured, fresh brokers each time; the summary gives
                                     the median of the runs (default 3)
              --clients N            registered clients of the policy, even (default 10000)
              --topic-spaces N       topic spaces of the policy: two per site and 6 for the fleet, even
                                     (default 100)
              --pair-binding WHERE   last (default): the bindings of the pair's channel come after every other
                                     binding, so that each check scans all of the client's filters before the
                                     one that matches; first: before them, the first filter scanned matches
              --rules N              rules of the rules setup whose filters do not match the load, a third
                                     of them on its first level, a third down to its third level (default
                                     1000); one more rule answers the probe
              --iterations N         PBKDF2 iterations of the clients' password hashes; paid at each CONNECT,
                                     never per message (default 1)
              --broker-jvm-options S the broker JVM's options (default "-Xms1g -Xmx1g")
              --broker-cpus LIST     the cores the broker is pinned to, taskset -c LIST (default 0); the load
                                     (this JVM) is pinned by the script (taskset -c 1)
              --jar FILE             Switchboard's runnable jar (default cli/target/switchboard.jar)
              --out DIR              results, configurations, policy, rules and broker logs (default
                                     target/authz-cost; target/rules-cost with --setups allow-all,rules)
              --jfr                  profile the broker in each measured phase (CPU samples every millisecond,
                                     into OUT/jfr/), with the top frames and the share of authorization in
                                     the report (perturbs the figures: profile in a run of its own)
              --quiet S              before each broker starts, wait up to S seconds for the other processes
                                     of the machine to use less than 0.25 cores (default 60; 0: do not wait)
              --attempts N           a phase in which the other processes used more than 0.10 cores is
                                     measured again, after waiting for quiet, N times in all at most; the
                                     quietest counts (default 3; 1: never again)
            """;

    /**
     * A broker configuration under test; the same but for its security or rules section. Each but
     * allow-all has a target: its throughput at least this share of allow-all's.
     */
    enum Setup {
        ALLOW_ALL("allow-all", 100), POLICY("policy", 80), RULES("rules", 95),
        /** In one broker, phases with the rules in force; against RULES_AB_OFF, phases of the same broker without. */
        RULES_AB_ON("rules-ab-on", 95), RULES_AB_OFF("rules-ab-off", 100);

        final String key;
        final int targetPercent;

        Setup(String key, int targetPercent) {
            this.key = key;
            this.targetPercent = targetPercent;
        }

        /** What this setup is measured against, or null for a baseline. */
        Setup baseline() {
            return switch (this) {
                case POLICY, RULES -> ALLOW_ALL;
                case RULES_AB_ON -> RULES_AB_OFF;
                default -> null;
            };
        }

        /** "rules-ab" is both halves of the in-process comparison. */
        static List<Setup> parse(String key) {
            return key.equals("rules-ab") ? List.of(RULES_AB_ON, RULES_AB_OFF) : List.of(of(key));
        }

        static Setup of(String key) {
            for (Setup s : values()) {
                if (s.key.equals(key)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown setup '" + key + "': allow-all, policy, rules or rules-ab");
        }
    }

    /** The JFR settings of --jfr, written by the benchmark: the broker reads them as it starts. */
    Path samplingSettings() {
        return out.resolve("jfr").resolve("cpu-sampling.jfc");
    }

    BrokerLaunch launch() {
        return new BrokerLaunch(brokerCpus, jar, brokerJvmOptions, jfr ? samplingSettings() : null);
    }

    /** The options, or null after printing the usage for {@code --help}; exits with status 2 on a bad option. */
    static FeatureCostOptions parse(String[] args) {
        List<Setup> setups = List.of(Setup.ALLOW_ALL, Setup.POLICY);
        List<Integer> qos = List.of(0, 1);
        int pairs = 64;
        int window = 16;
        int payload = 64;
        int seconds = 10;
        long maxMessages = 200_000_000;
        int warmupSeconds = 3;
        int brokerWarmup = 90;
        int runs = 3;
        int clients = 10_000;
        int topicSpaces = 100;
        boolean pairBindingFirst = false;
        int iterations = 1;
        int rules = 1000;
        List<String> jvm = List.of("-Xms1g", "-Xmx1g");
        String cpus = "0";
        Path jar = Path.of("cli/target/switchboard.jar");
        Path out = null;
        boolean jfr = false;
        int quiet = 60;
        int attempts = 3;
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
                            case "--setups" -> setups = Arrays.stream(value.split(",")).map(String::trim)
                                    .flatMap(k -> Setup.parse(k).stream()).distinct().toList();
                            case "--qos" -> qos = Arrays.stream(value.split(",")).map(s -> qos(s.trim())).distinct()
                                    .toList();
                            case "--pairs" -> pairs = positive(arg, value);
                            case "--window" -> window = positive(arg, value);
                            case "--payload" -> payload = notNegative(arg, value);
                            case "--seconds" -> seconds = positive(arg, value);
                            case "--max-messages" -> maxMessages = positive(arg, value);
                            case "--warmup-seconds" -> warmupSeconds = notNegative(arg, value);
                            case "--broker-warmup" -> brokerWarmup = notNegative(arg, value);
                            case "--runs" -> runs = positive(arg, value);
                            case "--clients" -> clients = positive(arg, value);
                            case "--topic-spaces" -> topicSpaces = positive(arg, value);
                            case "--iterations" -> iterations = positive(arg, value);
                            case "--rules" -> rules = positive(arg, value);
                            case "--pair-binding" -> pairBindingFirst = switch (value) {
                                case "first" -> true;
                                case "last" -> false;
                                default -> throw new IllegalArgumentException("--pair-binding " + value
                                        + ": first or last");
                            };
                            case "--broker-jvm-options" -> jvm = Arrays.stream(value.trim().split("\\s+"))
                                    .filter(s -> !s.isEmpty()).toList();
                            case "--broker-cpus" -> cpus = value.trim();
                            case "--jar" -> jar = Path.of(value);
                            case "--out" -> out = Path.of(value);
                            case "--quiet" -> quiet = notNegative(arg, value);
                            case "--attempts" -> attempts = positive(arg, value);
                            default -> throw new IllegalArgumentException("unknown option " + arg);
                        }
                    }
                }
            }
            if (out == null) {
                boolean withRules = setups.contains(Setup.RULES) || setups.contains(Setup.RULES_AB_ON);
                out = Path.of(withRules && !setups.contains(Setup.POLICY) ? "target/rules-cost"
                        : "target/authz-cost");
            }
            if (setups.isEmpty() || qos.isEmpty()) {
                throw new IllegalArgumentException("--setups and --qos: at least one each");
            }
            if (window > 128) {
                throw new IllegalArgumentException("--window " + window + ": at most 128, the broker's Receive Maximum"
                        + " and in-flight window by default (mqtt.receiveMaximum, mqtt.maxInflight)");
            }
            if (payload > 1_000_000) {
                throw new IllegalArgumentException("--payload " + payload + ": at most 1000000");
            }
            // the policy checks these too; said here with the options' names
            new FleetPolicy(clients, topicSpaces, pairBindingFirst).load(pairs);
            if (clients / 2 / pairs < 2) {
                throw new IllegalArgumentException("--pairs " + pairs + ": at most " + clients / 4 + " with --clients "
                        + clients + " (a registered client outside the load probes the policy)");
            }
            if (!cpus.matches("[0-9,-]+")) {
                throw new IllegalArgumentException("--broker-cpus '" + cpus + "': a list as taskset -c takes, e.g. 0 or 0,2-3");
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no broker jar at " + jar.toAbsolutePath()
                        + "; build it with ./mvnw -B -q package -DskipTests -pl cli -am (the script does)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("feature-cost: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        return new FeatureCostOptions(setups, qos, pairs, window, payload, seconds, warmupSeconds, brokerWarmup,
                maxMessages, runs, clients, topicSpaces, pairBindingFirst, iterations, rules, jvm, cpus, jar, out, jfr, quiet, attempts);
    }

    private static int qos(String value) {
        if (!value.equals("0") && !value.equals("1")) {
            throw new IllegalArgumentException("--qos " + value + ": 0 or 1");
        }
        return Integer.parseInt(value);
    }
}
