package io.switchboard.security;

/** A client group query that does not parse: what was expected, and where (1-based column). */
public final class QueryException extends IllegalArgumentException {
    private final int column;

    QueryException(String query, int offset, String message) {
        super("column " + (offset + 1) + ": " + message + "\n  " + query + "\n  " + " ".repeat(offset) + "^");
        this.column = offset + 1;
    }

    /** Where the problem is, counting from 1. */
    public int column() {
        return column;
    }
}
