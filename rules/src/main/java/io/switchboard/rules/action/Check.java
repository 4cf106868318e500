package io.switchboard.rules.action;

import io.switchboard.rules.sql.SqlException;
import io.switchboard.rules.sql.SqlTemplate;

/**
 * Checks of the actions' configuration records. Each refusal is an {@link IllegalArgumentException} that
 * names the key, the value and what is allowed, in the broker's words ({@code invalid value '0' for
 * 'http.timeoutMillis': allowed 100..60000}); the engine adds where in its configuration the action is.
 */
final class Check {
    private Check() {
    }

    static int range(String key, Integer value, int dflt, long min, long max) {
        return (int) range(key, value == null ? null : value.longValue(), dflt, min, max);
    }

    static long range(String key, Long value, long dflt, long min, long max) {
        long v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw badValue(key, v, "allowed " + min + ".." + max);
        }
        return v;
    }

    static String required(String key, String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing '" + key + "': " + what);
        }
        return value;
    }

    /** Parses a substitution template, refused with the position of its first problem. */
    static SqlTemplate template(String key, String text) {
        try {
            return SqlTemplate.parse(text);
        } catch (SqlException e) {
            throw new IllegalArgumentException("invalid template '" + text + "' for '" + key + "': "
                    + e.first(), e);
        }
    }

    static IllegalArgumentException badValue(String key, Object value, String allowed) {
        return new IllegalArgumentException("invalid value '" + value + "' for '" + key + "': " + allowed);
    }
}
