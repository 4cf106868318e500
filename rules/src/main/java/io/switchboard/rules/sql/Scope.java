package io.switchboard.rules.sql;

/**
 * What an expression is evaluated against: the message, and the row whose fields bare names refer to: the
 * payload's JSON at the top of a statement, an element of the array a nested SELECT reads from within it.
 * One per evaluation; confined to the thread evaluating.
 */
final class Scope {
    final RuleInput input;
    private final SqlValue row;
    private final boolean top;

    private Scope(RuleInput input, SqlValue row, boolean top) {
        this.input = input;
        this.row = row;
        this.top = top;
    }

    static Scope top(RuleInput input) {
        return new Scope(input, null, true);
    }

    Scope nested(SqlValue element) {
        return new Scope(input, element, false);
    }

    /** The row field names are looked up in; at the top, the payload's JSON (checked to be JSON before). */
    SqlValue row() {
        if (!top) {
            return row;
        }
        SqlValue json = input.json();
        return json == null ? SqlValue.UNDEFINED : json;
    }

    /** What {@code *} is: the payload (JSON, or its raw bytes) at the top, the element in a nested SELECT. */
    SqlValue star() {
        return top ? input.payloadValue() : row;
    }

    MessageContext message() {
        return input.message();
    }
}
