package io.switchboard.rules.sql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A rule's SQL statement in AWS IoT Core's dialect, version 2016-03-23: parsed and compiled once, when the rule
 * is loaded, then evaluated against each message its FROM filter matches.
 *
 * <pre>{@code
 * SqlStatement rule = SqlStatement.parse("SELECT temp, topic(2) AS device FROM 'sensors/+/data' WHERE temp > 30");
 * rule.from().filter();                       // "sensors/+/data": the broker matches topics against it
 * RuleInput input = RuleInput.of(message);    // one per message, shared by every rule it matched
 * switch (rule.evaluate(input)) { ... }       // Output, NoOutput (WHERE false) or Failure (to the error action)
 * }</pre>
 *
 * <p>Immutable and thread-safe: any number of threads may evaluate one statement at once.
 */
public final class SqlStatement {
    /** The only SQL version this implements ({@code awsIotSqlVersion}). */
    public static final String SQL_VERSION = "2016-03-23";

    private final String sql;
    private final Select select;
    private final TopicFilter from;
    private final Expr where;
    /** Where the statement first needs the payload to be JSON, or -1 when it never does. */
    private final int jsonOffset;

    private SqlStatement(String sql, Parser.Parsed parsed) {
        this.sql = sql;
        this.select = parsed.select();
        this.from = parsed.from();
        this.where = parsed.where();
        this.jsonOffset = jsonOffset(parsed.select(), parsed.where());
    }

    /**
     * Parses and compiles a statement of SQL version 2016-03-23.
     *
     * @throws SqlException listing every problem found, each with its line, column, message and hint
     */
    public static SqlStatement parse(String sql) throws SqlException {
        Objects.requireNonNull(sql, "sql");
        Diagnostics d = new Diagnostics(sql);
        Parser.Parsed parsed = Parser.parse(d);
        if (parsed == null || d.hasErrors()) {
            throw new SqlException(d.errors());
        }
        return new SqlStatement(sql, parsed);
    }

    /** As {@link #parse(String)}, refusing any {@code awsIotSqlVersion} other than {@value #SQL_VERSION}. */
    public static SqlStatement parse(String sql, String sqlVersion) throws SqlException {
        if (!SQL_VERSION.equals(sqlVersion)) {
            throw new SqlException(List.of(new SqlError(1, 1, "SQL version " + sqlVersion + " is not supported",
                    "Switchboard implements AWS IoT SQL version " + SQL_VERSION)));
        }
        return parse(sql);
    }

    /** The statement as written. */
    public String sql() {
        return sql;
    }

    /** The FROM clause's topic filter: the rule runs for messages whose topic it matches. */
    public TopicFilter from() {
        return from;
    }

    /** Whether the statement is {@code SELECT VALUE ...}: its output is a value, not an object. */
    public boolean selectsValue() {
        return select.value;
    }

    /**
     * Whether the statement reads JSON fields of the payload (or adds to its object with {@code SELECT *, ...}), so
     * that a payload that is not JSON is a {@link Evaluation.Kind#PAYLOAD_NOT_JSON} failure. AWS: to work with a
     * binary payload, "The SQL statement and templates must not refer to JSON names other than *".
     */
    public boolean readsPayloadJson() {
        return jsonOffset >= 0;
    }

    /** Evaluates against one message. Never throws: what goes wrong is a {@link Evaluation.Failure}. */
    public Evaluation evaluate(RuleInput input) {
        Objects.requireNonNull(input, "input");
        try {
            if (jsonOffset >= 0 && !input.isJson()) {
                return failure(Evaluation.Kind.PAYLOAD_NOT_JSON, jsonOffset, "the statement reads fields of the "
                        + "payload's JSON, and the payload (" + input.bytes().length
                        + " bytes) is not JSON");
            }
            Scope scope = Scope.top(input);
            if (where != null && !isTrue(where.eval(scope))) {
                return Evaluation.NoOutput.INSTANCE;
            }
            if (select.starOnly()) {
                return Evaluation.Output.passThrough(input);
            }
            return new Evaluation.Output(select.project(scope));
        } catch (EvalError e) {
            return failure(e.kind, e.offset, e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return failure(Evaluation.Kind.RUNTIME_ERROR, 0, "evaluation failed: " + e);
        }
    }

    /** Evaluates against a message no other rule shares (parses its payload if need be). */
    public Evaluation evaluate(MessageContext message) {
        return evaluate(RuleInput.of(message));
    }

    private Evaluation failure(Evaluation.Kind kind, int offset, String message) {
        int[] lc = Diagnostics.lineColumn(sql, offset);
        return new Evaluation.Failure(kind, message, lc[0], lc[1]);
    }

    /** "If the WHERE clause evaluates to true, the rule actions are performed": true, or the String "true". */
    static boolean isTrue(SqlValue v) {
        return Conversions.toBoolean(v) == Boolean.TRUE;
    }

    private static int jsonOffset(Select select, Expr where) {
        int first = -1;
        Select.Item star = select.mergedStar();
        if (star != null) {
            first = star.offset();
        }
        for (Select.Item item : select.items) {
            if (!item.star()) {
                first = earlier(first, firstField(item.expr()));
            }
        }
        if (where != null) {
            first = earlier(first, firstField(where));
        }
        return first;
    }

    private static int earlier(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** The offset of the first payload field the expression reads in the statement's own scope, or -1. */
    private static int firstField(Expr root) {
        int first = -1;
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (e instanceof Expr.Field) {
                first = earlier(first, e.offset);
            }
            for (Expr child : e.children()) {
                todo.push(child);
            }
        }
        return first;
    }

    @Override
    public String toString() {
        return sql;
    }
}
