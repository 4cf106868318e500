package io.switchboard.bench;

import io.switchboard.bench.cost.FleetRules;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.protocol.PublishTap;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import io.switchboard.rules.engine.RuleSpec;
import io.switchboard.rules.engine.RulesEngine;
import io.switchboard.rules.engine.RulesFile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the rules engine costs the publisher's event loop per message ({@link RulesEngine#published}),
 * as the broker calls it after routing:
 *
 * <ul>
 *   <li>{@code noRuleOtherFirstLevel}: 1,000 rules on {@code factory/line-N/#}, a message on
 *       {@code devices/dev-7/telemetry}: turned away by its first level;
 *   <li>{@code noRuleSameFirstLevel}: 1,000 rules on {@code devices/line-N/#}, the same message: the
 *       tree of FROM filters is walked and nothing matches;
 *   <li>{@code noRuleFleetRulesLoadTopic}: the rules-cost load run's 1,000 rules ({@link FleetRules}) and a
 *       message of its load, {@code devices/dev-00001/inbox/dev-00000}: walked down to the third level;
 *   <li>{@code noRuleFleetRulesLoadTopicSameAsLast}: the same, the publisher's connection's last message
 *       having had the same topic (the rules it matched are in the connection's memo);
 *   <li>{@code oneRuleWhereOnThreeJsonFields}: one rule {@code SELECT * FROM 'sensors/+/data' WHERE
 *       temp > 20 AND humidity < 80 AND status = 'ok'} on a 120-byte JSON payload that passes, its
 *       output republished (to a republisher that takes it and does nothing: routing is the
 *       broker's, measured elsewhere).
 * </ul>
 *
 * The engine is given each message anew (the JSON is parsed once per message, as in the broker).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RulesBenchmark {
    static final int RULES = 1_000;

    RulesEngine otherFirstLevel;
    RulesEngine sameFirstLevel;
    RulesEngine fleet;
    RulesEngine whereOnThree;
    Message telemetry;
    Message inbox;
    final PublishTap.Memo memo = new PublishTap.Memo();
    Message sensor;

    @Setup(Level.Trial)
    public void setUp() {
        otherFirstLevel = engine(rules("factory/line-%d/#"));
        sameFirstLevel = engine(rules("devices/line-%d/#"));
        fleet = engine(new FleetRules(RULES).yaml());
        whereOnThree = engine("""
                rules:
                  - name: hot
                    sql: SELECT * FROM 'sensors/+/data' WHERE temp > 20 AND humidity < 80 AND status = 'ok'
                    actions: [{republish: {topic: 'alerts/${topic(2)}'}}]
                """);
        telemetry = message("devices/dev-7/telemetry", "{\"temp\": 21.5}");
        inbox = message("devices/dev-00001/inbox/dev-00000", "{\"temp\": 40}");
        sensor = message("sensors/s-42/data",
                "{\"temp\": 23.5, \"humidity\": 41, \"status\": \"ok\", \"battery\": 87, \"site\": \"berlin-3\", \"fw\": \"2.4.1\"}");
        whereOnThree.published(sensor, "s-42", null);
        if (whereOnThree.rule("hot").counters().passed() != 1) {
            throw new IllegalStateException("the benchmark's message does not pass the rule's WHERE");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        otherFirstLevel.close();
        sameFirstLevel.close();
        fleet.close();
        whereOnThree.close();
    }

    static String rules(String filter) {
        StringBuilder b = new StringBuilder("rules:\n");
        for (int i = 0; i < RULES; i++) {
            b.append("  - name: r").append(i).append("\n    sql: SELECT * FROM '").append(String.format(filter, i))
                    .append("'\n    actions: [{republish: {topic: out}}]\n");
        }
        return b.toString();
    }

    static RulesEngine engine(String yaml) {
        RulesEngine e = new RulesEngine(m -> CompletableFuture.completedFuture(1), Clock.systemUTC());
        RulesFile.Read read = RulesFile.read(yaml, "benchmark");
        List<RuleSpec> specs = new ArrayList<>(read.rules());
        e.replace(specs, "benchmark", read.problems());
        return e;
    }

    static Message message(String topic, String json) {
        return new Message(topic, 0, false, Payload.utf8(json), Properties.EMPTY, "c", 0);
    }

    @Benchmark
    public RulesEngine noRuleOtherFirstLevel() {
        otherFirstLevel.published(telemetry, "dev-7", null);
        return otherFirstLevel;
    }

    @Benchmark
    public RulesEngine noRuleSameFirstLevel() {
        sameFirstLevel.published(telemetry, "dev-7", null);
        return sameFirstLevel;
    }

    @Benchmark
    public RulesEngine noRuleFleetRulesLoadTopic() {
        fleet.published(inbox, "dev-00000", null);
        return fleet;
    }

    /** The same, from the publisher's connection's memo: its last message had the same topic. */
    @Benchmark
    public RulesEngine noRuleFleetRulesLoadTopicSameAsLast() {
        fleet.published(inbox, "dev-00000", null, memo);
        return fleet;
    }

    @Benchmark
    public RulesEngine oneRuleWhereOnThreeJsonFields() {
        whereOnThree.published(sensor, "s-42", null);
        return whereOnThree;
    }
}
