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
    private final RuleCounters counters = new RuleCounters();

    CompiledRule(RuleSpec spec, SqlStatement statement, List<Action> actions, Action errorAction) {
        this.spec = spec;
        this.statement = statement;
        this.actions = List.copyOf(actions);
        this.errorAction = errorAction;
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

    /** Whether {@code other} defines the same rule (its place in the file aside). */
    boolean sameDefinition(RuleSpec other) {
        return RulesFile.toJson(spec).equals(RulesFile.toJson(other));
    }

    void close() {
        actions.forEach(Action::close);
        if (errorAction != null) {
            errorAction.close();
        }
    }
}
