package io.switchboard.bench.cost;

import io.switchboard.bench.authz.FleetPolicy;
import io.switchboard.bench.cost.FeatureCostOptions.Setup;
import io.switchboard.bench.harness.CpuSampling;
import io.switchboard.bench.harness.JitWarmUp;
import io.switchboard.bench.harness.Machine;
import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.security.Policy;
import io.switchboard.security.PolicyLoader;
import io.switchboard.security.Rights;
import io.switchboard.testkit.BrokerProcess;
import io.switchboard.testkit.bench.ProcStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a feature costs the broker: point-to-point throughput at QoS 0 and QoS 1 of Switchboard
 * allowing everything with no rules (allow-all), of Switchboard deciding by a policy
 * ({@link FleetPolicy}: 10,000 registered clients, 100 topic spaces of templates), and of Switchboard
 * running rules none of which matches the load ({@link FleetRules}: 1,000 rules); then each setup's
 * target, its figure at least a share of allow-all's (the policy 80 %, the rules 95 %). Run by
 * {@code scripts/authz-cost} and {@code scripts/rules-cost}; what it measures and its figures are in
 * {@code docs/performance.md}, sections "Authorization cost" and "Rules cost".
 *
 * <p>For each run and each setup (in alternating order from run to run, so that a drift of the
 * machine does not favour one): the broker started as a child process pinned to core 0, storage in
 * memory, its configuration the same but for the security section; two probes that tell whether a
 * policy is in force; the load's pairs connected ({@link PairTraffic}, in this JVM, pinned to core 1
 * by the script); a warm-up until the JIT compilers are quiet; then one phase per QoS, each a warm-up
 * and a measured time; then the clients closed and the broker stopped, also on failure.
 */
public final class FeatureCost {
    /** What the broker's audit log writes for each denial (io.switchboard.audit, DenialAudit). */
    private static final String AUDIT_LINE = " denied client=";

    private final FeatureCostOptions options;
    private final String[] args;
    private final PrintStream out = System.out;
    private final CostReport report;
    private final List<CostReport.Profile> profiles = new ArrayList<>();
    private final FleetPolicy fleet;
    private final FleetRules rules;
    private final SetupProbes probes;
    private final List<FleetPolicy.Pair> load;

    /** One measured phase: a setup, a QoS, a run. */
    record Cell(Setup setup, int qos, int run, PairTraffic.Phase phase, long auditLines, int attempt) {
    }

    private FeatureCost(FeatureCostOptions options, String[] args) {
        this.options = options;
        this.args = args;
        this.fleet = new FleetPolicy(options.clients(), options.topicSpaces(), options.pairBindingFirst());
        this.load = fleet.load(options.pairs());
        this.rules = new FleetRules(options.rules());
        this.probes = new SetupProbes(out, fleet, load.size());
        this.report = new CostReport(out, options);
    }

    public static void main(String[] args) throws Exception {
        FeatureCostOptions options = FeatureCostOptions.parse(args);
        if (options == null) {
            return; // --help
        }
        new FeatureCost(options, args).run();
    }

    private void run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        if (options.jfr()) {
            CpuSampling.write(options.samplingSettings());
        }
        String stamp = Machine.stamp();
        long started = System.nanoTime();
        String yaml = fleet.yaml(options.iterations());
        Path policyFile = options.out().resolve("fleet-policy.yaml").toAbsolutePath();
        Files.writeString(policyFile, yaml, StandardCharsets.UTF_8);
        double generated = (System.nanoTime() - started) / 1e9;
        Policy policy = PolicyLoader.parse(yaml, policyFile.toString()); // as the broker will read it
        Path rulesFile = options.out().resolve("fleet-rules.yaml").toAbsolutePath();
        Files.writeString(rulesFile, rules.yaml(), StandardCharsets.UTF_8);
        Map<Setup, Path> configs = new EnumMap<>(Setup.class);
        for (Setup setup : options.setups()) {
            configs.put(setup, config(setup, policyFile, rulesFile));
        }
        boolean withPolicy = options.setups().contains(Setup.POLICY);
        boolean withRules = options.setups().contains(Setup.RULES) || options.setups().contains(Setup.RULES_AB_ON);

        report.line("# %s, %s", withPolicy && withRules ? "Authorization and rules cost" : withRules ? "Rules cost"
                : "Authorization cost", stamp);
        report.line("");
        report.line("- command: scripts/%s %s", withRules && !withPolicy ? "rules-cost" : "authz-cost", String.join(" ", args));
        report.line("- Switchboard: commit %s", Machine.commit());
        report.line("- %s", Machine.jdkAndCpu());
        report.line("- load (this JVM, one thread over one selector): CPUs %s, JVM options %s", Machine.affinity(),
                Machine.jvmOptions());
        report.line("- broker: taskset -c %s java %s -jar %s broker --config FILE; storage memory in every setup: %s"
                + " (the same but for `security.policy` and `rules.file`)", options.brokerCpus(),
                String.join(" ", options.brokerJvmOptions()), options.jar(), configs.values());
        FleetPolicy.Pair first = load.get(0);
        if (withPolicy) {
            report.line("- policy %s: %s (%,d bytes; password hashes PBKDF2-SHA256, %d iteration(s): paid at CONNECT only;"
                    + " generated in %.1f s)", policyFile, policy.describe(), yaml.length(), options.iterations(), generated);
            report.line("- rights of the first pair, resolved as at CONNECT (the pair's bindings %s): %s publishes to %s; %s may"
                    + " subscribe to %s", options.pairBindingFirst() ? "first" : "last",
                    first.talker(), rights(policy, first.talker()).publishFilters(), first.listener(),
                    rights(policy, first.listener()).subscribeFilters());
        }
        if (withRules) {
            report.line("- rules %s: %s; checked for a change never (reloadCheckSeconds 0)", rulesFile, rules.describe());
        }
        report.line("- load: %d pairs spread over the fleet (%s ... %s), talker publishes to devices/<listener>/inbox/<talker>,"
                + " listener subscribed at QoS 1; window %d messages per pair; payload %d bytes; MQTT 5, user name and"
                + " password, Clean Start, no session expiry", load.size(), first.topic(), load.get(load.size() - 1).topic(),
                options.window(), options.payload());
        report.line("- after each broker starts a warm-up until the JIT compilers are quiet (under %.2f cores for %d s; %d s"
                + " at least, %d s at most); each phase: %d s of traffic, then %d s measured (at most %,d messages);"
                + " phases %s, each measured again while the rest of the machine used more than %.2f cores in it (%d"
                + " attempts at most); %d run(s), the setups in alternating order", JitWarmUp.QUIET_CORES,
                JitWarmUp.STEP_SECONDS, JitWarmUp.MIN_SECONDS, options.brokerWarmupSeconds(), options.warmupSeconds(),
                options.seconds(), options.maxMessages(), options.qos().stream().map(q -> "QoS " + q).toList(),
                CostReport.NOISY_CORES, options.attempts(), options.runs());

        List<Cell> cells = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            List<Setup> order = new ArrayList<>(options.setups());
            if (run % 2 == 0) {
                Collections.reverse(order);
            }
            for (Setup setup : order) {
                if (setup == Setup.RULES_AB_ON) {
                    measureRulesAb(configs.get(setup), run, cells);
                } else if (setup != Setup.RULES_AB_OFF) {
                    measureBroker(setup, configs.get(setup), run, cells);
                }
            }
        }
        report.summary(cells, profiles);
        Path file = options.out().resolve(Machine.reportName(stamp));
        Files.writeString(file, report.text(), StandardCharsets.UTF_8);
        out.printf("%nThis report: %s%n", file.toAbsolutePath());
    }

    /** The rights a client gets at CONNECT (client id = its name, hence its reply prefix). */
    private static Rights rights(Policy policy, String name) {
        Policy.Client c = policy.client(name).orElseThrow();
        return policy.rightsOf(name, c.attributes(), ResponseTopics.prefixFor(name) + "/#");
    }

    /** The broker's configuration: storage in memory; the policy file or the rules file for their setups. */
    private Path config(Setup setup, Path policyFile, Path rulesFile) throws IOException {
        StringBuilder y = new StringBuilder("# feature cost: ").append(setup.key).append('\n');
        y.append("storage:\n  type: memory\n");
        if (setup == Setup.POLICY) {
            y.append("security:\n  policy: \"").append(policyFile).append("\"\n");
        }
        if (setup == Setup.RULES) {
            y.append("rules:\n  file: \"").append(rulesFile).append("\"\n  reloadCheckSeconds: 0\n");
        }
        if (setup == Setup.RULES_AB_ON || setup == Setup.RULES_AB_OFF) {
            y.append("rules:\n  file: \"").append(abRulesFile()).append("\"\n  reloadCheckSeconds: 1\n");
        }
        Path file = options.out().resolve("switchboard-" + setup.key + ".yaml").toAbsolutePath();
        Files.writeString(file, y, StandardCharsets.UTF_8);
        return file;
    }

    private void measureBroker(Setup setup, Path config, int run, List<Cell> cells) throws IOException, InterruptedException {
        out.printf("%n== %s, run %d%n", setup.key, run);
        String quiet = ProcStats.awaitQuiet(options.quietSeconds());
        if (quiet != null) {
            out.printf("  %s%n", quiet);
        }
        Path log = options.out().resolve(setup.key + "-r" + run + ".log");
        try (BrokerProcess b = options.launch().startSwitchboard(config, log)) {
            out.printf("  pid %d on %s, ready in %,d ms, log %s%n", b.pid(), b.address(),
                    TimeUnit.NANOSECONDS.toMillis(b.readyNanos()), log);
            probes.checkPolicyInForce(setup, b);
            if (setup != Setup.POLICY) {
                probes.checkRulesInForce(setup, b);
            }
            try (PairTraffic traffic = PairTraffic.connect(b.address(), b.pid(), load, options.window(), options.payload())) {
                out.printf("  %d pairs connected and subscribed%n", load.size());
                warmUp(b, traffic);
                for (int qos : options.qos()) {
                    cells.add(measure(setup, run, qos, b, traffic));
                }
            }
        }
    }

    /** The rules file the rules-ab broker reads: the 1,000 rules, or none, as the phase wants. */
    private Path abRulesFile() {
        return options.out().resolve("ab-rules.yaml").toAbsolutePath();
    }

    /**
     * One broker, each QoS measured with the rules in force and with none, the order alternating from
     * run to run: the file the broker watches is switched (written beside and moved over it), and the
     * probe shows the switch took effect before the phase starts. What differs between two phases is
     * the rules alone: not the broker process, its JIT's choices or its heap.
     */
    private void measureRulesAb(Path config, int run, List<Cell> cells) throws IOException, InterruptedException {
        out.printf("%n== rules-ab, run %d%n", run);
        String quiet = ProcStats.awaitQuiet(options.quietSeconds());
        if (quiet != null) {
            out.printf("  %s%n", quiet);
        }
        switchRules(true);
        Path log = options.out().resolve("rules-ab-r" + run + ".log");
        try (BrokerProcess b = options.launch().startSwitchboard(config, log)) {
            out.printf("  pid %d on %s, ready in %,d ms, log %s%n", b.pid(), b.address(),
                    TimeUnit.NANOSECONDS.toMillis(b.readyNanos()), log);
            probes.checkRulesInForce(Setup.RULES_AB_ON, b);
            try (PairTraffic traffic = PairTraffic.connect(b.address(), b.pid(), load, options.window(), options.payload())) {
                out.printf("  %d pairs connected and subscribed%n", load.size());
                warmUp(b, traffic);
                for (int qos : options.qos()) {
                    List<Setup> order = run % 2 == 1 ? List.of(Setup.RULES_AB_ON, Setup.RULES_AB_OFF)
                            : List.of(Setup.RULES_AB_OFF, Setup.RULES_AB_ON);
                    for (Setup half : order) {
                        switchRules(half == Setup.RULES_AB_ON);
                        probes.awaitRules(b, half == Setup.RULES_AB_ON);
                        cells.add(measure(half, run, qos, b, traffic));
                    }
                }
            }
        }
    }

    private void switchRules(boolean on) throws IOException {
        Path file = abRulesFile();
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, on ? rules.yaml() : "rules: []\n", StandardCharsets.UTF_8);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Traffic, QoS 0 and QoS 1 in turns, until the JIT compilers of the broker and of this JVM are quiet. */
    private void warmUp(BrokerProcess b, PairTraffic traffic) throws IOException, InterruptedException {
        int[] step = {0};
        PairTraffic.Phase[] last = {null};
        JitWarmUp.Outcome o = JitWarmUp.run(b.pid(), options.brokerWarmupSeconds(), nanos -> {
            int qos = options.qos().get(step[0]++ % options.qos().size());
            PairTraffic.Phase p = traffic.run(qos, 0, nanos, options.maxMessages());
            last[0] = p;
            if (!p.clean()) {
                out.printf("  WARNING: warm-up at QoS %d: %s%n", qos, CostReport.problems(p));
            }
            return p.clean();
        });
        if (o != null) {
            out.printf("  warm-up: %.0f s (the last step: QoS %d, %,.0f msg/s; %s)%n", o.seconds(), last[0].qos(),
                    last[0].perSecond(), o.describe());
        }
    }

    /**
     * A phase, measured again (after waiting for the machine to be quiet) while the rest of the machine
     * used more than {@value CostReport#NOISY_CORES} cores in it, {@code --attempts} times at most: the quietest
     * attempt counts.
     */
    private Cell measure(Setup setup, int run, int qos, BrokerProcess b, PairTraffic traffic)
            throws IOException, InterruptedException {
        Cell best = null;
        for (int attempt = 1; ; attempt++) {
            Cell c = measureOnce(setup, run, qos, b, traffic, attempt);
            double other = CostReport.otherCores(c.phase);
            if (best == null || !(other >= CostReport.otherCores(best.phase))) {
                if (best != null && options.jfr()) {
                    profiles.remove(profiles.size() - 2); // the profile of the attempt that no longer counts
                }
                best = c;
            } else if (options.jfr()) {
                profiles.remove(profiles.size() - 1);
            }
            if (!(other > CostReport.NOISY_CORES)) {
                return c;
            }
            if (attempt >= options.attempts()) {
                out.printf("  the rest of the machine was busy in every attempt: the quietest counts (attempt %d)%n",
                        best.attempt());
                return best;
            }
            out.printf("  the rest of the machine used %.2f cores in that phase: measured again (attempt %d of %d)%n",
                    other, attempt + 1, options.attempts());
            String quiet = ProcStats.awaitQuiet(options.quietSeconds());
            if (quiet != null) {
                out.printf("  %s%n", quiet);
            }
        }
    }

    private Cell measureOnce(Setup setup, int run, int qos, BrokerProcess b, PairTraffic traffic, int attempt)
            throws IOException {
        String name = setup.key + "-qos" + qos + "-r" + run;
        Path jfr = options.samplingSettings().toAbsolutePath().getParent().resolve(name + ".jfr");
        if (options.jfr()) {
            // The broker records with these settings since it started: one more recording compiles nothing
            // again. It covers the phase's warm-up too; the summary keeps the measured part's samples.
            b.jcmd("JFR.start", "name=authz-cost", "settings=" + options.samplingSettings().toAbsolutePath());
        }
        long auditBefore = auditLines(b);
        PairTraffic.Phase p = traffic.run(qos, TimeUnit.SECONDS.toNanos(options.warmupSeconds()),
                TimeUnit.SECONDS.toNanos(options.seconds()), options.maxMessages());
        if (options.jfr()) {
            b.jcmd("JFR.stop", "name=authz-cost", "filename=" + jfr);
            profiles.add(new CostReport.Profile(setup.key + " broker, QoS " + qos + ", run " + run, jfr, p.from(), p.to()));
        }
        long audit = auditLines(b) - auditBefore;
        Cell c = new Cell(setup, qos, run, p, audit, attempt);
        out.printf("  QoS %d: %,10.0f msg/s delivered (%,d in %.1f s; pairs %,d to %,d each)%n", qos, p.perSecond(),
                p.measured(), p.seconds(), p.slowestPair(), p.fastestPair());
        out.printf("         broker CPU %s: %s%n", CostReport.cores(p.broker()), p.broker() == null ? "-" : p.broker().top(4));
        out.printf("         load CPU %s: %s%n", CostReport.cores(p.generator()), p.generator() == null ? "-" : p.generator().top(3));
        out.printf("         other processes of the machine: %s cores; written %,d, delivered %,d, acknowledged %,d,"
                + " denied %,d, other PUBACK codes %,d, undelivered %,d; audit log lines %d%n", CostReport.other(p), p.written(),
                p.received(), p.acked(), p.denied(), p.otherAcks(), p.undelivered(), audit);
        if (!p.clean() || audit > 0) {
            out.printf("  WARNING: %s%n", CostReport.problems(p) + (audit > 0 ? "; " + audit + " audit log line(s) of denials" : ""));
        }
        return c;
    }

    private static long auditLines(BrokerProcess b) throws IOException {
        return b.logText().lines().filter(l -> l.contains(AUDIT_LINE)).count();
    }

}
