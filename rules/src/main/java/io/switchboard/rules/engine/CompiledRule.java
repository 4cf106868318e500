package io.switchboard.rules.engine;

import io.switchboard.rules.action.Action;
import io.switchboard.rules.sql.SqlStatement;
import java.util.List;

/**
 * A rule ready to run: its statement compiled, its actions built, its counters. Kept across a reload
 * when its definition did not change, so that its queues and counters go on.
 */
public final class CompiledRule {
    private final RuleSpec spec;
    private final SqlStatement statement;
    private final List<Action> actions;
    private final Action errorAction;
    private final RuleCounters counters;

    CompiledRule(RuleSpec spec, SqlStatement statement, List<Action> actions, Action errorAction) {
        this(spec, statement, actions, errorAction, new RuleCounters());
    }

    private CompiledRule(RuleSpec spec, SqlStatement statement, List<Action> actions, Action errorAction,
            RuleCounters counters) {
        this.spec = spec;
        this.statement = statement;
        this.actions = List.copyOf(actions);
        this.errorAction = errorAction;
        this.counters = counters;
    }

    /** The same rule enabled or disabled as {@code other} says: its actions and counters go on. */
    CompiledRule withSpec(RuleSpec other) {
        return new CompiledRule(other, statement, actions, errorAction, counters);
    }

    public String name() {
        return spec.name();
    }

    public RuleSpec spec() {
        return spec;
    }

    public SqlStatement statement() {
        return statement;
    }

    List<Action> actions() {
        return actions;
    }

    Action errorAction() {
        return errorAction;
    }

    public RuleCounters counters() {
        return counters;
    }

    /** Whether {@code other} defines the same rule (its place in the file and whether it is enabled aside). */
    boolean sameDefinition(RuleSpec other) {
        return RulesFile.toJson(spec).put("enabled", true).equals(RulesFile.toJson(other).put("enabled", true));
    }

    void close() {
        actions.forEach(Action::close);
        if (errorAction != null) {
            errorAction.close();
        }
    }
}
