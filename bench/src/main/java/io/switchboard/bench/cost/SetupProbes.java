package io.switchboard.bench.cost;

import io.switchboard.bench.authz.FleetPolicy;
import io.switchboard.bench.cost.FeatureCostOptions.Setup;
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
import io.switchboard.testkit.BrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What tells {@link FeatureCost} which setup a broker runs, before it is measured: probes of the
 * policy (a registered client outside the load publishing outside its rights, and connecting with a
 * wrong password) and of the rules (the probe rule's republish). A broker that answers otherwise
 * than its setup should stops the benchmark.
 */
final class SetupProbes {
    private static final String POLICY_LINE = "Security policy ";
    /** What the rules engine logs when it starts (io.switchboard.rules.engine.RulesService). */
    private static final String RULES_LINE = "Rules: ";

    private final PrintStream out;
    private final FleetPolicy fleet;
    private final int loadSize;

    SetupProbes(PrintStream out, FleetPolicy fleet, int loadSize) {
        this.out = out;
        this.fleet = fleet;
        this.loadSize = loadSize;
    }

    /** Probes until the rules are in force (or none is), 30 s at most. */
    void awaitRules(BrokerProcess b, boolean on) throws IOException, InterruptedException {
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
    void checkPolicyInForce(Setup setup, BrokerProcess b) throws IOException {
        String policyLine = b.logText().lines().filter(l -> l.contains(POLICY_LINE)).findFirst().orElse(null);
        FleetPolicy.Pair probe = fleet.probe(loadSize);
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
    void checkRulesInForce(Setup setup, BrokerProcess b) throws IOException {
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
    boolean rulesProbe(BrokerProcess b) throws IOException {
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
}
