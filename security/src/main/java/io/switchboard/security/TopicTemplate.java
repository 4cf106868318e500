package io.switchboard.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A topic template of a topic space: an MQTT topic filter whose levels may hold the variables
 * {@code ${client.authenticationName}} and {@code ${client.attributes.<key>}}, as in Azure Event
 * Grid. A variable fills a whole level or part of one, never more: {@link #resolve} gives the
 * filter for one client, or null when the template matches nothing for it (an attribute it does not
 * have, or a value that is not one plain level: empty, or with {@code /}, {@code +}, {@code #},
 * NUL, or a leading {@code $}). Wildcards and {@code $} in identities therefore never widen access.
 */
public final class TopicTemplate {
    private static final String NAME = "client.authenticationName";
    private static final String ATTRIBUTE = "client.attributes.";

    private final String text;
    /** Literal text (String) and variables (Var), in order; '/' separators are in the literals. */
    private final List<Object> parts;

    private record Var(String attribute) {
    }

    private TopicTemplate(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses a template; throws IllegalArgumentException naming the problem. */
    public static TopicTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        StringBuilder shape = new StringBuilder(); // the template with each variable as 'v': checked as a filter
        int i = 0;
        while (i < template.length()) {
            if (template.startsWith("${", i)) {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("topic template '" + template + "': '${' at " + (i + 1)
                            + " is not closed by '}'");
                }
                String name = template.substring(i + 2, end);
                Var v;
                if (name.equals(NAME)) {
                    v = new Var(null);
                } else if (name.startsWith(ATTRIBUTE) && name.length() > ATTRIBUTE.length()) {
                    v = new Var(name.substring(ATTRIBUTE.length()));
                } else {
                    throw new IllegalArgumentException("topic template '" + template + "': unknown variable '${" + name
                            + "}': allowed ${client.authenticationName} and ${client.attributes.<key>}");
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(v);
                shape.append('v');
                i = end + 1;
            } else {
                literal.append(template.charAt(i));
                shape.append(template.charAt(i));
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        if (!Filters.isValidFilter(shape.toString())) {
            throw new IllegalArgumentException("topic template '" + template + "': not a topic filter ('+' and '#'"
                    + " fill whole levels, '#' only the last; a variable may share a level with text only)");
        }
        if (template.startsWith("$share/")) {
            throw new IllegalArgumentException("topic template '" + template + "': a template names topics, not a"
                    + " shared subscription ($share/...): shared subscriptions are checked by their filter");
        }
        return new TopicTemplate(template, List.copyOf(parts));
    }

    /** Whether the template has variables (and so differs by client). */
    public boolean hasVariables() {
        for (Object p : parts) {
            if (p instanceof Var) {
                return true;
            }
        }
        return false;
    }

    /** The filter for this client, or null when the template matches nothing for it. */
    public String resolve(String authenticationName, Map<String, ?> attributes) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (Object p : parts) {
            if (p instanceof Var v) {
                Object value = v.attribute() == null ? authenticationName : attributes.get(v.attribute());
                String level = value instanceof String s ? s
                        : value instanceof Long || value instanceof Integer ? value.toString() : null;
                if (!isPlainLevel(level)) {
                    return null;
                }
                out.append(level);
            } else {
                out.append((String) p);
            }
        }
        return out.toString();
    }

    /** Text that can stand in a level without changing what the filter matches. */
    static boolean isPlainLevel(String s) {
        if (s == null || s.isEmpty() || s.charAt(0) == '$') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
