package io.switchboard.rules.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A rule as written in the rules file or sent to the admin API, before it is compiled.
 *
 * @param name unique, letters, digits, '_' and '-'
 * @param sql the statement (AWS IoT SQL 2016-03-23)
 * @param enabled false keeps it defined and idle
 * @param actions what runs with each output, in order; at least one
 * @param errorAction what receives the record of each failure, or null (failures are then only counted and logged)
 * @param line where it starts in its file (1-based), 0 when it did not come from a file
 */
public record RuleSpec(String name, String sql, boolean enabled, List<ActionSpec> actions, ActionSpec errorAction,
        int line) {
    public RuleSpec {
        actions = List.copyOf(actions);
    }

    /**
     * One action: its kind ({@code republish}, {@code http}, {@code file}) and its settings.
     *
     * @param line where it starts in its file, 0 if none
     */
    public record ActionSpec(String kind, JsonNode settings, int line) {
    }
}
