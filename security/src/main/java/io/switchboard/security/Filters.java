package io.switchboard.security;

import io.switchboard.broker.routing.Topics;

/**
 * MQTT topic filters as sets of topics: whether a filter matches a topic, and whether one filter
 * contains another (every topic the second can match, the first matches too). Both follow the
 * specification's rules, [MQTT-4.7.1-1] to [MQTT-4.7.2-1]: {@code #} also matches the parent level,
 * {@code +} exactly one level (an empty one too), and a filter that starts with a wildcard matches
 * no topic that starts with {@code $}.
 */
public final class Filters {
    private Filters() {
    }

    /**
     * Whether {@code filter} matches the topic name {@code topic}: the broker's own matching
     * ({@link Topics#matches}), which allocates nothing.
     */
    public static boolean matches(String filter, String topic) {
        return Topics.matches(filter, topic);
    }

    /**
     * Whether every topic {@code inner} can match is matched by {@code outer}: containment, not
     * overlap. {@code devices/+/reported} is not contained in {@code devices/d1/reported}, although they
     * share a topic.
     */
    public static boolean contains(String outer, String inner) {
        String[] g = outer.split("/", -1);
        String[] r = inner.split("/", -1);
        return contains(g, r, 0);
    }

    private static boolean contains(String[] g, String[] r, int i) {
        if (i == r.length) {
            // inner matches exactly the topics of its length here: outer must end too, or with '#'
            return i == g.length || (i == g.length - 1 && g[i].equals("#"));
        }
        if (i == g.length) {
            return false; // inner matches longer topics
        }
        String outerLevel = g[i];
        String innerLevel = r[i];
        if (outerLevel.equals("#")) {
            // Everything from here on, except, at the first level, the topics that start with '$'.
            return i > 0 || !(isLiteral(innerLevel) && innerLevel.startsWith("$"));
        }
        if (innerLevel.equals("#")) {
            // inner also matches the parent and any depth, which outer's narrower level cannot; except
            // that a first-level '#' has no parent (no topic has zero levels), so '+/#' matches as much.
            return i == 0 && outerLevel.equals("+") && g.length == 2 && g[1].equals("#");
        }
        if (outerLevel.equals("+")) {
            if (i == 0 && innerLevel.startsWith("$")) {
                return false; // '+' first matches no '$' topic
            }
            return contains(g, r, i + 1);
        }
        return innerLevel.equals(outerLevel) && contains(g, r, i + 1);
    }

    private static boolean isLiteral(String level) {
        return !level.equals("+") && !level.equals("#");
    }

    /**
     * Whether {@code filter} is a well-formed topic filter (the broker's rules, {@link Topics#checkFilter})
     * without NUL.
     */
    public static boolean isValidFilter(String filter) {
        return filter.indexOf('\0') < 0 && Topics.checkFilter(filter) == null;
    }
}
