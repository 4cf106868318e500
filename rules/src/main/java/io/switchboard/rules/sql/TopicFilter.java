package io.switchboard.rules.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT topic filter of a statement's FROM clause, checked as MQTT 5 checks a SUBSCRIBE's filter. The broker
 * matches it with its own subscription tree; {@link #matches} is the reference for that matching.
 */
public final class TopicFilter {
    private final String filter;
    private final List<String> levels;
    private final boolean wildcards;

    private TopicFilter(String filter, List<String> levels) {
        this.filter = filter;
        this.levels = List.copyOf(levels);
        this.wildcards = filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * Checks a filter: not empty, at most 65,535 bytes of UTF-8, no U+0000 [MQTT-4.7.3-1, -2]; '#' only as a
     * whole level, and the last [MQTT-4.7.1-1]; '+' only as a whole level [MQTT-4.7.1-2]; not a shared
     * subscription ($share/...), which names a group of subscribers and means nothing to a rule.
     *
     * @return null, or why the filter is invalid, as {message, hint}
     */
    static String[] check(String filter) {
        if (filter.isEmpty()) {
            return new String[] {"the topic filter is empty", "name the topic to read from, e.g. FROM 'sensors/#'"};
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            return new String[] {"the topic filter is longer than 65,535 bytes", "use a shorter filter"};
        }
        if (filter.indexOf('\u0000') >= 0) {
            return new String[] {"the topic filter contains the character U+0000", "remove it"};
        }
        if (filter.startsWith("$share/")) {
            return new String[] {"a rule cannot read from a shared subscription ($share/...)",
                    "name the topic filter itself, e.g. FROM 'sensors/#'"};
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return new String[] {"'#' must be a whole level and the last one in a topic filter",
                        "write it as the last level, as in 'sensors/#' [MQTT-4.7.1-1]"};
            }
            if (level.contains("+") && !level.equals("+")) {
                return new String[] {"'+' must be a whole level of a topic filter",
                        "write it between slashes, as in 'sensors/+/temperature' [MQTT-4.7.1-2]"};
            }
        }
        return null;
    }

    static TopicFilter of(String filter) {
        String[] problem = check(filter);
        if (problem != null) {
            throw new IllegalArgumentException(problem[0]);
        }
        List<String> levels = new ArrayList<>(List.of(filter.split("/", -1)));
        return new TopicFilter(filter, levels);
    }

    /** The filter as written in the FROM clause. */
    public String filter() {
        return filter;
    }

    /** Its levels, split at '/'. */
    public List<String> levels() {
        return levels;
    }

    public boolean hasWildcards() {
        return wildcards;
    }

    /**
     * Whether a topic name matches: '+' matches one level, '#' the parent level and any below; a filter starting
     * with a wildcard does not match a topic starting with '$' [MQTT-4.7.2-1], so 'sensors/#' and '#' never see
     * '$aws/...' or '$SYS/...'.
     */
    public boolean matches(String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && wildcards
                && (levels.get(0).equals("+") || levels.get(0).equals("#"))) {
            return false;
        }
        int start = 0;
        int n = levels.size();
        for (int i = 0; i < n; i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (start > topic.length()) {
                return false;
            }
            int slash = topic.indexOf('/', start);
            int end = slash < 0 ? topic.length() : slash;
            if (!level.equals("+") && !topic.regionMatches(start, level, 0, level.length())
                    || !level.equals("+") && end - start != level.length()) {
                return false;
            }
            start = end + 1;
            if (slash < 0) {
                // the topic has no more levels: a match if the filter has none either, or only "#" after this
                return i == n - 1 || (i == n - 2 && levels.get(n - 1).equals("#"));
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter t && t.filter.equals(filter);
    }

    @Override
    public int hashCode() {
        return filter.hashCode();
    }

    @Override
    public String toString() {
        return filter;
    }
}
