package io.switchboard.rules.engine;

import java.util.List;

/**
 * A rule set refused at load: every problem, each naming where it is (the file's line, the rule, the
 * SQL's line and column) and what would fix it. The rules in force stay as they were.
 */
public final class RulesException extends RuntimeException {
    private final List<String> problems;

    public RulesException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
