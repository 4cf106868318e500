package io.switchboard.bench.cost;

import io.switchboard.bench.authz.FleetPolicy;
import io.switchboard.bench.cost.FeatureCostOptions.Setup;
import io.switchboard.bench.harness.CpuSampling;
import io.switchboard.bench.harness.JfrTop;
import io.switchboard.bench.harness.JitWarmUp;
import io.switchboard.bench.harness.Machine;
import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

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
    private static final String POLICY_LINE = "Security policy ";
    /** What the rules engine logs when it starts (io.switchboard.rules.engine.RulesService). */
    private static final String RULES_LINE = "Rules: ";
    /** "Other CPU" above this during a measured phase: the machine was not quiet, the figure is suspect. */
    private static final double NOISY_CORES = 0.10;

    private final FeatureCostOptions options;
    private final String[] args;
    private final PrintStream out = System.out;
    private final StringBuilder report = new StringBuilder();
    private final List<Profile> profiles = new ArrayList<>();
    private final FleetPolicy fleet;
    private final FleetRules rules;
    private final List<FleetPolicy.Pair> load;

    /** One measured phase: a setup, a QoS, a run. */
    record Cell(Setup setup, int qos, int run, PairTraffic.Phase phase, long auditLines, int attempt) {
    }

    private record Profile(String title, Path file, Instant from, Instant to) {
    }

    private FeatureCost(FeatureCostOptions options, String[] args) {
        this.options = options;
        this.args = args;
        this.fleet = new FleetPolicy(options.clients(), options.topicSpaces(), options.pairBindingFirst());
        this.load = fleet.load(options.pairs());
        this.rules = new FleetRules(options.rules());
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

        line("# %s, %s", withPolicy && withRules ? "Authorization and rules cost" : withRules ? "Rules cost"
                : "Authorization cost", stamp);
        line("");
        line("- command: scripts/%s %s", withRules && !withPolicy ? "rules-cost" : "authz-cost", String.join(" ", args));
        line("- Switchboard: commit %s", Machine.commit());
        line("- %s", Machine.jdkAndCpu());
        line("- load (this JVM, one thread over one selector): CPUs %s, JVM options %s", Machine.affinity(),
                Machine.jvmOptions());
        line("- broker: taskset -c %s java %s -jar %s broker --config FILE; storage memory in every setup: %s"
                + " (the same but for `security.policy` and `rules.file`)", options.brokerCpus(),
                String.join(" ", options.brokerJvmOptions()), options.jar(), configs.values());
        FleetPolicy.Pair first = load.get(0);
        if (withPolicy) {
            line("- policy %s: %s (%,d bytes; password hashes PBKDF2-SHA256, %d iteration(s): paid at CONNECT only;"
                    + " generated in %.1f s)", policyFile, policy.describe(), yaml.length(), options.iterations(), generated);
            line("- rights of the first pair, resolved as at CONNECT (the pair's bindings %s): %s publishes to %s; %s may"
                    + " subscribe to %s", options.pairBindingFirst() ? "first" : "last",
                    first.talker(), rights(policy, first.talker()).publishFilters(), first.listener(),
                    rights(policy, first.listener()).subscribeFilters());
        }
        if (withRules) {
            line("- rules %s: %s; checked for a change never (reloadCheckSeconds 0)", rulesFile, rules.describe());
        }
        line("- load: %d pairs spread over the fleet (%s ... %s), talker publishes to devices/<listener>/inbox/<talker>,"
                + " listener subscribed at QoS 1; window %d messages per pair; payload %d bytes; MQTT 5, user name and"
                + " password, Clean Start, no session expiry", load.size(), first.topic(), load.get(load.size() - 1).topic(),
                options.window(), options.payload());
        line("- after each broker starts a warm-up until the JIT compilers are quiet (under %.2f cores for %d s; %d s"
                + " at least, %d s at most); each phase: %d s of traffic, then %d s measured (at most %,d messages);"
                + " phases %s, each measured again while the rest of the machine used more than %.2f cores in it (%d"
                + " attempts at most); %d run(s), the setups in alternating order", JitWarmUp.QUIET_CORES,
                JitWarmUp.STEP_SECONDS, JitWarmUp.MIN_SECONDS, options.brokerWarmupSeconds(), options.warmupSeconds(),
                options.seconds(), options.maxMessages(), options.qos().stream().map(q -> "QoS " + q).toList(),
                NOISY_CORES, options.attempts(), options.runs());

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
        summary(cells);
        Path file = options.out().resolve(Machine.reportName(stamp));
        Files.writeString(file, report, StandardCharsets.UTF_8);
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
            checkPolicyInForce(setup, b);
            if (setup != Setup.POLICY) {
                checkRulesInForce(setup, b);
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
            checkRulesInForce(Setup.RULES_AB_ON, b);
            try (PairTraffic traffic = PairTraffic.connect(b.address(), b.pid(), load, options.window(), options.payload())) {
                out.printf("  %d pairs connected and subscribed%n", load.size());
                warmUp(b, traffic);
                for (int qos : options.qos()) {
                    List<Setup> order = run % 2 == 1 ? List.of(Setup.RULES_AB_ON, Setup.RULES_AB_OFF)
                            : List.of(Setup.RULES_AB_OFF, Setup.RULES_AB_ON);
                    for (Setup half : order) {
                        switchRules(half == Setup.RULES_AB_ON);
                        awaitRules(b, half == Setup.RULES_AB_ON);
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

    /** Probes until the rules are in force (or none is), 30 s at most. */
    private void awaitRules(BrokerProcess b, boolean on) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rulesProbe(b) != on) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the broker did not put the rules " + (on ? "in force" : "out of force")
                        + " within 30 s of the file's change; see " + b.log());
            }
            Thread.sleep(200); // a benchmark polling a broker's state, not a test
        }
        out.printf("  rules %s%n", on ? "in force (1,000 and the probe)" : "out of force (none)");
    }

    /**
     * Two probes with a registered client outside the load: a PUBLISH outside its rights to a topic
     * nobody subscribes to (policy: PUBACK 0x87; allow-all: 0x10 No matching subscribers), and a
     * CONNECT with a wrong password (policy: CONNACK 0x86; allow-all: accepted). A setup that answers
     * otherwise is not what it claims, and the benchmark stops.
     */
    private void checkPolicyInForce(Setup setup, BrokerProcess b) throws IOException {
        String policyLine = b.logText().lines().filter(l -> l.contains(POLICY_LINE)).findFirst().orElse(null);
        FleetPolicy.Pair probe = fleet.probe(load.size());
        int publish;
        try (Connection c = PairTraffic.handshake(b.address(), probe.talker(), probe.talkerPassword(), 1)) {
            c.writeBlocking(Connection.encode(new PublishPacket(probe.topic(), 1, false, false, 1, Properties.EMPTY,
                    Payload.wrap(new byte[] {1}))));
            MqttPacket p = c.readBlocking();
            if (!(p instanceof PubackPacket ack)) {
                throw new IOException(probe.talker() + ": expected a PUBACK for the probe, received " + p);
            }
            publish = ack.reasonCode().value();
        }
        ReasonCode connect;
        try (Connection c = Connection.open(probe.talker(), b.address())) {
            c.writeBlocking(Connection.encode(new ConnectPacket(MqttVersion.V5, true, 0, probe.talker() + "-wrong", null,
                    probe.talker(), "not-the-password".getBytes(StandardCharsets.UTF_8), Properties.EMPTY)));
            MqttPacket p = c.readBlocking();
            if (!(p instanceof ConnackPacket connack)) {
                throw new IOException(probe.talker() + ": expected a CONNACK for the probe, received " + p);
            }
            connect = connack.reasonCode();
        }
        boolean policy = setup == Setup.POLICY;
        int expectedPublish = policy ? ReasonCode.NOT_AUTHORIZED.value() : ReasonCode.NO_MATCHING_SUBSCRIBERS.value();
        ReasonCode expectedConnect = policy ? ReasonCode.BAD_USER_NAME_OR_PASSWORD : ReasonCode.SUCCESS;
        out.printf("  probes: %s publishing to %s: PUBACK 0x%02x; CONNECT with a wrong password: CONNACK 0x%02x%s%n",
                probe.talker(), probe.topic(), publish, connect.value(), policyLine == null ? "" : "; log: "
                        + policyLine.substring(policyLine.indexOf(POLICY_LINE)));
        if (publish != expectedPublish || connect != expectedConnect || (policyLine != null) != policy) {
            throw new IOException(setup.key + ": the broker does not behave as this setup should (expected PUBACK 0x"
                    + Integer.toHexString(expectedPublish) + " and CONNACK 0x" + Integer.toHexString(expectedConnect.value())
                    + (policy ? " and a 'Security policy' log line" : " and no policy") + "); see " + b.log());
        }
    }

    /**
     * A probe of the rules (allow-all and rules setups: a client outside the fleet may connect): a
     * client subscribed to the probe rule's output publishes to its input, then publishes a marker
     * to the output itself. With the rules in force the republished probe comes first (the rules run
     * on the publisher's event loop, before its next PUBLISH is read); without, the marker. A setup
     * that answers otherwise is not what it claims, and the benchmark stops.
     */
    private void checkRulesInForce(Setup setup, BrokerProcess b) throws IOException {
        String rulesLine = b.logText().lines().filter(l -> l.contains(RULES_LINE)).findFirst().orElse(null);
        boolean inForce = rulesProbe(b);
        boolean expected = setup == Setup.RULES || setup == Setup.RULES_AB_ON;
        out.printf("  rules probe: the first message on %s: '%s'%s%n", FleetRules.PROBE_OUT, inForce ? "probe" : "marker",
                rulesLine == null ? "" : "; log: " + rulesLine.substring(rulesLine.indexOf(RULES_LINE)));
        if (inForce != expected || (rulesLine != null) != expected) {
            throw new IOException(setup.key + ": the broker does not behave as this setup should (expected "
                    + (expected ? "the republished probe and a 'Rules:' log line" : "the marker and no rules") + "); see "
                    + b.log());
        }
    }

    /** Whether the probe rule republished the probe (the rules are in force), or the marker came first. */
    private boolean rulesProbe(BrokerProcess b) throws IOException {
        String first;
        try (Connection c = PairTraffic.handshake(b.address(), "rules-probe", new byte[0], 1)) {
            c.writeBlocking(Connection.encode(new SubscribePacket(1, List.of(new TopicSubscription(FleetRules.PROBE_OUT, 0)),
                    Properties.EMPTY)));
            if (!(c.readBlocking() instanceof SubackPacket)) {
                throw new IOException("rules-probe: expected a SUBACK");
            }
            c.writeBlocking(Connection.encode(new PublishPacket(FleetRules.PROBE_IN, 0, false, false, 0, Properties.EMPTY,
                    Payload.wrap("probe".getBytes(StandardCharsets.UTF_8)))));
            c.writeBlocking(Connection.encode(new PublishPacket(FleetRules.PROBE_OUT, 0, false, false, 0, Properties.EMPTY,
                    Payload.wrap("marker".getBytes(StandardCharsets.UTF_8)))));
            MqttPacket p = c.readBlocking();
            if (!(p instanceof PublishPacket publish)) {
                throw new IOException("rules-probe: expected a PUBLISH, received " + p);
            }
            first = new String(publish.payload().toByteArray(), StandardCharsets.UTF_8);
        }
        return first.equals("probe");
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
                out.printf("  WARNING: warm-up at QoS %d: %s%n", qos, problems(p));
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
     * used more than {@value #NOISY_CORES} cores in it, {@code --attempts} times at most: the quietest
     * attempt counts.
     */
    private Cell measure(Setup setup, int run, int qos, BrokerProcess b, PairTraffic traffic)
            throws IOException, InterruptedException {
        Cell best = null;
        for (int attempt = 1; ; attempt++) {
            Cell c = measureOnce(setup, run, qos, b, traffic, attempt);
            double other = otherCores(c.phase);
            if (best == null || !(other >= otherCores(best.phase))) {
                if (best != null && options.jfr()) {
                    profiles.remove(profiles.size() - 2); // the profile of the attempt that no longer counts
                }
                best = c;
            } else if (options.jfr()) {
                profiles.remove(profiles.size() - 1);
            }
            if (!(other > NOISY_CORES)) {
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
            profiles.add(new Profile(setup.key + " broker, QoS " + qos + ", run " + run, jfr, p.from(), p.to()));
        }
        long audit = auditLines(b) - auditBefore;
        Cell c = new Cell(setup, qos, run, p, audit, attempt);
        out.printf("  QoS %d: %,10.0f msg/s delivered (%,d in %.1f s; pairs %,d to %,d each)%n", qos, p.perSecond(),
                p.measured(), p.seconds(), p.slowestPair(), p.fastestPair());
        out.printf("         broker CPU %s: %s%n", cores(p.broker()), p.broker() == null ? "-" : p.broker().top(4));
        out.printf("         load CPU %s: %s%n", cores(p.generator()), p.generator() == null ? "-" : p.generator().top(3));
        out.printf("         other processes of the machine: %s cores; written %,d, delivered %,d, acknowledged %,d,"
                + " denied %,d, other PUBACK codes %,d, undelivered %,d; audit log lines %d%n", other(p), p.written(),
                p.received(), p.acked(), p.denied(), p.otherAcks(), p.undelivered(), audit);
        if (!p.clean() || audit > 0) {
            out.printf("  WARNING: %s%n", problems(p) + (audit > 0 ? "; " + audit + " audit log line(s) of denials" : ""));
        }
        return c;
    }

    private static long auditLines(BrokerProcess b) throws IOException {
        return b.logText().lines().filter(l -> l.contains(AUDIT_LINE)).count();
    }

    private static String problems(PairTraffic.Phase p) {
        return String.format(Locale.ROOT, "%,d denied (PUBACK 0x87), %,d other PUBACK reason codes, %,d written and"
                + " never delivered%s", p.denied(), p.otherAcks(), p.undelivered(),
                p.firstProblem() == null ? "" : "; the first: " + p.firstProblem());
    }

    // ---- the report ----

    private void summary(List<Cell> cells) throws IOException {
        line("");
        line("## Each run");
        line("");
        line("msg/s: messages delivered to the listeners in the measured time, per second. Pairs: the fewest and the"
                + " most one pair delivered. CPU: cores used in the measured time (1.00 = a whole core) by the broker,"
                + " by the load (this JVM), and by everything else on the machine (the noise); a phase where the noise"
                + " was above " + NOISY_CORES + " cores is measured again (attempt: the quietest, which counts). Denied:"
                + " PUBACK 0x87 (and any other reason code);"
                + " undelivered: written, not refused, and not received when the phase ended; audit: the broker's"
                + " log lines of denials.");
        line("");
        line("| setup | QoS | run | msg/s | pairs | broker CPU | load CPU | other CPU | attempt | denied | undelivered | audit |");
        line("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Cell c : cells) {
            PairTraffic.Phase p = c.phase;
            line("| %s | %d | %d | %,.0f | %,d-%,d | %s | %s | %s | %d | %,d | %,d | %d |", c.setup.key, c.qos, c.run,
                    p.perSecond(), p.slowestPair(), p.fastestPair(), cores(p.broker()), cores(p.generator()), other(p),
                    c.attempt, p.denied() + p.otherAcks(), p.undelivered(), c.auditLines);
        }
        line("");
        line("## Summary%s", options.runs() > 1 ? " (median of " + options.runs() + " runs)" : "");
        line("");
        line("| setup | QoS | msg/s | range | broker CPU | load CPU | other CPU |");
        line("|---|---:|---:|---|---:|---:|---:|");
        for (int qos : options.qos()) {
            for (Setup s : options.setups()) {
                List<Cell> these = these(cells, s, qos);
                if (these.isEmpty()) {
                    continue;
                }
                line("| %s | %d | %,.0f | %,.0f-%,.0f | %.2f | %.2f | %.2f |", s.key, qos, median(these, PairTraffic.Phase::perSecond),
                        min(these), max(these), median(these, p -> p.broker() == null ? Double.NaN : p.broker().cores()),
                        median(these, p -> p.generator() == null ? Double.NaN : p.generator().cores()),
                        median(these, FeatureCost::otherCores));
            }
        }
        line("");
        targets(cells);
        if (!profiles.isEmpty()) {
            line("");
            line("## Profiles of the broker (JFR: CPU samples of threads running Java code, every millisecond)");
            line("");
            for (Profile p : profiles) {
                String s = JfrTop.summarize(p.file, p.from, p.to, p.title, 15,
                        List.of("io.switchboard.security.", "io.switchboard.broker.auth.", "io.switchboard.rules."));
                out.print(s);
                report.append(s);
            }
        }
    }

    /** The target of each setup but allow-all at each QoS: its median at least its share of allow-all's, every message delivered. */
    private void targets(List<Cell> cells) {
        for (Setup setup : options.setups()) {
            if (setup.baseline() != null) {
                target(cells, setup);
            }
        }
        long noisy = cells.stream().filter(c -> otherCores(c.phase) > NOISY_CORES).count();
        if (noisy > 0) {
            line("Note: in %d of %d measured phases the rest of the machine used more than %.2f cores (\"other CPU\"):"
                    + " those figures are suspect.", noisy, cells.size(), NOISY_CORES);
        }
        for (Cell c : cells) {
            if (!c.phase.clean() || c.auditLines > 0) {
                line("");
                line("WARNING: %s, QoS %d, run %d: %s; %d audit log line(s) of denials", c.setup.key, c.qos, c.run,
                        problems(c.phase), c.auditLines);
            }
        }
    }

    private void target(List<Cell> cells, Setup setup) {
        Setup base = setup.baseline();
        line("## Target: the %s setup's throughput at least %d %% of %s's", setup.key, setup.targetPercent, base.key);
        line("");
        if (!options.setups().contains(base)) {
            line("Not measured: it needs %s too (--setups %s,%s).", base.key, base.key, setup.key);
            return;
        }
        line("| QoS | %s msg/s | %s msg/s | ratio | per run | target | |", base.key, setup.key);
        line("|---:|---:|---:|---:|---|---:|---|");
        for (int qos : options.qos()) {
            List<Cell> open = these(cells, base, qos);
            List<Cell> other = these(cells, setup, qos);
            double a = median(open, PairTraffic.Phase::perSecond);
            double p = median(other, PairTraffic.Phase::perSecond);
            double ratio = p / a;
            List<String> perRun = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                Cell x = find(open, run);
                Cell y = find(other, run);
                if (x != null && y != null) {
                    boolean noisy = otherCores(x.phase) > NOISY_CORES || otherCores(y.phase) > NOISY_CORES;
                    perRun.add(String.format(Locale.ROOT, "%.0f %%%s", 100 * y.phase.perSecond() / x.phase.perSecond(),
                            noisy ? " (noisy)" : ""));
                }
            }
            boolean clean = cells.stream().filter(c -> c.qos == qos && (c.setup == setup || c.setup == base))
                    .allMatch(c -> c.phase.clean() && c.auditLines == 0);
            String verdict = !clean ? "**not valid**: messages were denied or not delivered (see above)"
                    : ratio * 100 >= setup.targetPercent ? "**met**" : "**missed**";
            line("| %d | %,.0f | %,.0f | %.0f %% | %s | ≥ %d %% | %s |", qos, a, p, 100 * ratio, String.join(" · ", perRun),
                    setup.targetPercent, verdict);
        }
        line("");
    }

    private static List<Cell> these(List<Cell> cells, Setup setup, int qos) {
        return cells.stream().filter(c -> c.setup == setup && c.qos == qos).toList();
    }

    private static Cell find(List<Cell> cells, int run) {
        return cells.stream().filter(c -> c.run == run).findFirst().orElse(null);
    }

    private static double median(List<Cell> cells, ToDoubleFunction<PairTraffic.Phase> f) {
        double[] v = cells.stream().mapToDouble(c -> f.applyAsDouble(c.phase)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Cell> cells) {
        return cells.stream().mapToDouble(c -> c.phase.perSecond()).min().orElse(Double.NaN);
    }

    private static double max(List<Cell> cells) {
        return cells.stream().mapToDouble(c -> c.phase.perSecond()).max().orElse(Double.NaN);
    }

    /** CPU time of every other process of the machine (and the kernel's, and steal), in cores: the noise. */
    private static double otherCores(PairTraffic.Phase p) {
        if (p.broker() == null || p.generator() == null) {
            return Double.NaN;
        }
        return Math.max(0, p.broker().machineCores() - p.broker().cores() - p.generator().cores()) + p.broker().machineSteal();
    }

    private static String other(PairTraffic.Phase p) {
        double o = otherCores(p);
        return Double.isNaN(o) ? "-" : String.format(Locale.ROOT, "%.2f", o);
    }

    private static String cores(ProcStats.Delta d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d.cores());
    }

    private void line(String format, Object... values) {
        String s = values.length == 0 ? format : String.format(Locale.ROOT, format, values);
        out.println(s);
        report.append(s).append('\n');
    }
}
