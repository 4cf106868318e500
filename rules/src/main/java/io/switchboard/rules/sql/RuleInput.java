package io.switchboard.rules.sql;

import java.util.Objects;

/**
 * One message as every rule sees it: the {@link MessageContext} and its payload, parsed as JSON at most once,
 * when the first rule that needs it asks, and shared by every rule whose FROM matched.
 *
 * <p>Make one per message and hand the same instance to each rule's {@link SqlStatement#evaluate}. Safe to use
 * from several threads: the parsed value is immutable and published through a volatile field (two threads that
 * race may both parse, and both get the same value).
 */
public final class RuleInput {
    /** Marks a payload that was parsed and is not JSON. */
    private static final Object NOT_JSON = new Object();

    private final MessageContext message;
    private volatile Object parsed;
    private SqlValue.BinaryValue raw;
    private byte[] bytes;

    private RuleInput(MessageContext message) {
        this.message = Objects.requireNonNull(message, "message");
    }

    public static RuleInput of(MessageContext message) {
        return new RuleInput(message);
    }

    public MessageContext message() {
        return message;
    }

    /** Whether the payload is one JSON document (parses it if no rule has yet). */
    public boolean isJson() {
        return json() != null;
    }

    /** The payload as JSON, or null when it is not JSON; parsed on the first call only. */
    public SqlValue json() {
        Object p = parsed;
        if (p == null) {
            SqlValue v = Json.parse(bytes());
            p = v == null ? NOT_JSON : v;
            parsed = p;
        }
        return p == NOT_JSON ? null : (SqlValue) p;
    }

    /** Whether the payload has been parsed already (for tests of the sharing). */
    public boolean parsed() {
        return parsed != null;
    }

    /** What {@code *} is in an expression: the JSON value, or the raw bytes of a payload that is not JSON. */
    SqlValue payloadValue() {
        SqlValue v = json();
        return v != null ? v : rawPayload();
    }

    /** The payload's bytes as a value, never parsed: what {@code encode(*, ...)} encodes. */
    SqlValue.BinaryValue rawPayload() {
        SqlValue.BinaryValue r = raw;
        if (r == null) {
            r = new SqlValue.BinaryValue(bytes());
            raw = r;
        }
        return r;
    }

    /** The payload's bytes, asked of the message once (a benign race may ask twice: the message is immutable). */
    byte[] bytes() {
        byte[] b = bytes;
        if (b == null) {
            b = message.payload();
            bytes = b;
        }
        return b;
    }
}
