package io.switchboard.broker.routing;

/**
 * Topic Names and Topic Filters (section 4.7): validation and matching. Each check returns null
 * when the input is valid, or a sentence saying what is wrong and what is allowed.
 */
public final class Topics {
    public static final String SHARED_PREFIX = "$share/";

    private Topics() {
    }

    /** Checks a Topic Name in a PUBLISH or a Will. */
    public static String checkName(String topic) {
        if (topic.isEmpty()) {
            // [MQTT-4.7.3-1] topic names MUST be at least one character long.
            return "the topic name is empty; it must have at least one character";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                // [MQTT-3.3.2-2] the Topic Name MUST NOT contain wildcard characters.
                return "the topic name '" + topic + "' contains the wildcard '" + c + "'; wildcards are only allowed in topic filters";
            }
        }
        return null;
    }

    /** Checks a Topic Filter in a SUBSCRIBE or UNSUBSCRIBE. */
    public static String checkFilter(String filter) {
        if (filter.isEmpty()) {
            // [MQTT-4.7.3-1] topic filters MUST be at least one character long.
            return "the topic filter is empty; it must have at least one character";
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == '/') {
                String level = filter.substring(levelStart, i);
                if (level.length() > 1 && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
                    // [MQTT-4.7.1-2] '+' and '#' MUST occupy an entire level.
                    return "in the topic filter '" + filter + "' the level '" + level
                            + "' mixes a wildcard with other characters; '+' and '#' must be a whole level";
                }
                if (level.equals("#") && i != filter.length()) {
                    // [MQTT-4.7.1-1] '#' MUST be the last character of the filter.
                    return "in the topic filter '" + filter + "' '#' is not the last level; it may only end a filter";
                }
                levelStart = i + 1;
            }
        }
        return null;
    }

    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    public static boolean isShared(String filter) {
        return filter.startsWith(SHARED_PREFIX);
    }

    /**
     * Checks a Shared Subscription {@code $share/{ShareName}/{filter}} (section 4.8.2); null when
     * valid. The caller has already checked it with {@link #checkFilter}.
     */
    public static String checkShared(String filter) {
        int slash = filter.indexOf('/', SHARED_PREFIX.length());
        String shareName = slash < 0 ? filter.substring(SHARED_PREFIX.length())
                : filter.substring(SHARED_PREFIX.length(), slash);
        if (shareName.isEmpty()) {
            // [MQTT-4.8.2-1] the ShareName MUST be at least one character long.
            return "the shared subscription '" + filter + "' has an empty share name; use $share/{name}/{filter}";
        }
        if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
            // [MQTT-4.8.2-2] the ShareName MUST NOT contain "/", "+" or "#".
            return "the share name '" + shareName + "' contains a wildcard; it must not contain '/', '+' or '#'";
        }
        if (slash < 0 || slash == filter.length() - 1) {
            // [MQTT-4.8.2-2] the ShareName MUST be followed by "/" and a Topic Filter.
            return "the shared subscription '" + filter + "' has no topic filter after the share name;"
                    + " use $share/{name}/{filter}";
        }
        return null;
    }

    /** The share name of a valid shared subscription filter. */
    public static String shareName(String sharedFilter) {
        return sharedFilter.substring(SHARED_PREFIX.length(), sharedFilter.indexOf('/', SHARED_PREFIX.length()));
    }

    /** The topic filter of a valid shared subscription filter, or the filter itself when it is not shared. */
    public static String topicFilter(String filter) {
        return isShared(filter) ? filter.substring(filter.indexOf('/', SHARED_PREFIX.length()) + 1) : filter;
    }

    /**
     * Whether a filter matches a topic name. A filter starting with a wildcard does not match a
     * topic starting with '$' ([MQTT-4.7.2-1]).
     */
    public static boolean matches(String filter, String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        while (true) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = fl;
            }
            int tEnd = topic.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = tl;
            }
            boolean fLast = fEnd == fl;
            boolean tLast = tEnd == tl;
            if (fEnd - f == 1 && filter.charAt(f) == '#') {
                return true;
            }
            boolean plus = fEnd - f == 1 && filter.charAt(f) == '+';
            if (!plus && !filter.regionMatches(f, topic, t, Math.max(fEnd - f, tEnd - t))) {
                return false;
            }
            if (fLast && tLast) {
                return true;
            }
            if (tLast) {
                // "a/#" matches "a": the parent level ([MQTT-4.7.1-2] note on multi-level wildcard).
                return !fLast && filter.regionMatches(fEnd + 1, "#", 0, 1) && fEnd + 2 == fl;
            }
            if (fLast) {
                return false;
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    /**
     * A value (a client id) as exactly one topic level: {@code %}, {@code /}, {@code +} and
     * {@code #} are percent-encoded ({@code %25}, {@code %2F}, {@code %2B}, {@code %23}); all
     * else is kept.
     */
    public static String encodeLevel(String value) {
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String esc = switch (c) {
                case '%' -> "%25";
                case '/' -> "%2F";
                case '+' -> "%2B";
                case '#' -> "%23";
                default -> null;
            };
            if (esc != null && sb == null) {
                sb = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (sb != null) {
                if (esc != null) {
                    sb.append(esc);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? value : sb.toString();
    }
}
