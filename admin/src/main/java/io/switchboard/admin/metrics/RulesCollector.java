package io.switchboard.admin.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.switchboard.rules.engine.CompiledRule;
import io.switchboard.rules.engine.RuleCounters;
import io.switchboard.rules.engine.RulesService;
import java.util.Map;

/** The counters of each rule in force, labelled by rule (docs/operations.md). */
final class RulesCollector implements MultiCollector {
    private final RulesService rules;

    RulesCollector(RulesService rules) {
        this.rules = rules;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder matched = counter("switchboard_rule_matched", "Messages a rule's FROM matched");
        CounterSnapshot.Builder passed = counter("switchboard_rule_passed",
                "Messages that passed a rule's WHERE and ran its actions");
        CounterSnapshot.Builder failed = counter("switchboard_rule_failed", "A rule's failures by cause: the statement"
                + " (payload_not_json, payload_not_object, runtime_error) or an action's kind (republish, http, file)");
        CounterSnapshot.Builder actions = counter("switchboard_rule_actions",
                "A rule's action runs by action kind and outcome (succeeded, failed)");
        CounterSnapshot.Builder errorAction = counter("switchboard_rule_error_action_failed",
                "Error records a rule's error action could not take");
        for (CompiledRule r : rules.engine().rules()) {
            RuleCounters c = r.counters();
            point(matched, c.matched(), "rule", r.name());
            point(passed, c.passed(), "rule", r.name());
            for (Map.Entry<String, Long> e : c.failed().entrySet()) {
                point(failed, e.getValue(), "rule", r.name(), "cause", e.getKey());
            }
            for (Map.Entry<String, Long> e : c.actionsSucceeded().entrySet()) {
                point(actions, e.getValue(), "rule", r.name(), "action", e.getKey(), "outcome", "succeeded");
            }
            for (Map.Entry<String, Long> e : c.actionsFailed().entrySet()) {
                point(actions, e.getValue(), "rule", r.name(), "action", e.getKey(), "outcome", "failed");
            }
            point(errorAction, c.errorActionFailed(), "rule", r.name());
        }
        return MetricSnapshots.of(matched.build(), passed.build(), failed.build(), actions.build(), errorAction.build());
    }

    private static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(name).help(help);
    }

    private static void point(CounterSnapshot.Builder b, long value, String... labels) {
        b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
    }
}
