package io.switchboard.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.authz.FleetPolicy;
import io.switchboard.broker.message.Message;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import io.switchboard.rules.engine.RulesEngine;
import io.switchboard.rules.engine.RulesFile;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The rules-cost benchmark's rules file, as the benchmark runs it: it loads as the broker reads it
 * (every rule compiled), none of its 1,000 rules matches a message of the load, even one that would
 * pass their WHERE, and the probe rule republishes. The benchmark itself is never run by the build.
 */
class FleetRulesTest {
    private static final FleetRules RULES = new FleetRules(1000);
    private static final List<FleetPolicy.Pair> LOAD = new FleetPolicy(10_000, 100, false).load(64);

    @Test
    void noRuleMatchesTheLoadAndTheProbeRuleRepublishes() {
        List<Message> republished = new CopyOnWriteArrayList<>();
        RulesFile.Read read = RulesFile.read(RULES.yaml(), "fleet-rules.yaml");
        assertThat(read.problems()).isEmpty();
        try (RulesEngine engine = new RulesEngine(m -> {
            republished.add(m);
            return CompletableFuture.completedFuture(1);
        }, Clock.systemUTC())) {
            engine.replace(read.rules(), "fleet-rules.yaml");
            assertThat(engine.rules()).hasSize(1001);
            for (FleetPolicy.Pair p : LOAD) {
                engine.published(message(p.topic(), "{\"temp\": 40, \"humidity\": 50}"), p.talker(), null);
            }
            assertThat(republished).isEmpty();
            // the same shapes one level off do match: the filters are near the load, not far from it
            engine.published(message("devices/dev-00001/telemetry/sensor-0001", "{\"temp\": 40}"), "dev-00000", null);
            engine.published(message("devices/dev-00001/inbox/service-0002", "{\"temp\": 40}"), "dev-00000", null);
            engine.published(message(FleetRules.PROBE_IN, "probe"), "rules-probe", null);
            assertThat(republished).extracting(Message::topic).containsExactly("alerts/dev-00001/fleet-0001",
                    "alerts/dev-00001/fleet-0002", FleetRules.PROBE_OUT);
        }
    }

    private static Message message(String topic, String json) {
        return new Message(topic, 0, false, Payload.utf8(json), Properties.EMPTY, "c", 0);
    }
}
