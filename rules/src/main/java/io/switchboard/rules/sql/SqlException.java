package io.switchboard.rules.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule's SQL was refused: every problem found, in the order they appear in the text, each with its line,
 * column, message and hint. The parser goes on after the first problem so that one attempt shows them all.
 */
public final class SqlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<SqlError> errors;

    SqlException(List<SqlError> errors) {
        super(render(errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    /** The problems, first to last in the text; never empty. */
    public List<SqlError> errors() {
        return errors;
    }

    /** The first problem. */
    public SqlError first() {
        return errors.get(0);
    }

    private static String render(List<SqlError> errors) {
        if (errors.size() == 1) {
            return "invalid rule SQL: " + errors.get(0);
        }
        return "invalid rule SQL, " + errors.size() + " problems:\n  "
                + errors.stream().map(SqlError::toString).collect(Collectors.joining("\n  "));
    }
}
