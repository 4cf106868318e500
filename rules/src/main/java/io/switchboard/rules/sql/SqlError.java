package io.switchboard.rules.sql;

import java.util.Objects;

/**
 * One problem in a rule's SQL: where (line and column, both 1-based, counted in characters), what is wrong, and
 * what would be right.
 */
public record SqlError(int line, int column, String message, String hint) {
    public SqlError {
        Objects.requireNonNull(message);
        Objects.requireNonNull(hint);
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column + ": " + message + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
}
