package io.switchboard.rpc;

/** MQTT topic-filter matching (4.7), for requests that arrive before their subscription's callback exists. */
final class TopicFilters {
    private TopicFilters() {
    }

    /** The filter without its {@code $share/<group>/} prefix. */
    static String unshared(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', "$share/".length());
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        return filter;
    }

    /** Whether {@code topic} matches {@code filter}; a wildcard first level never matches a {@code $} topic. */
    static boolean matches(String filter, String topic) {
        String f = unshared(filter);
        if (topic.startsWith("$") && (f.startsWith("+") || f.startsWith("#"))) {
            return false; // [MQTT-4.7.2-1]
        }
        String[] fl = f.split("/", -1);
        String[] tl = topic.split("/", -1);
        for (int i = 0; i < fl.length; i++) {
            if (fl[i].equals("#")) {
                return true; // also matches the parent level [MQTT-4.7.1-2]
            }
            if (i >= tl.length) {
                return false;
            }
            if (!fl[i].equals("+") && !fl[i].equals(tl[i])) {
                return false;
            }
        }
        return fl.length == tl.length;
    }
}
