package io.switchboard.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One client's filters of one kind (publish, or receive), arranged for the decision on each
 * message: the filters without wildcards in a hash set (one lookup, whatever their number), the
 * others matched one by one, and the last topic allowed remembered (a device publishes to the same
 * few topics again and again: one comparison). Immutable but for that one reference, which any
 * thread may see stale without harm: it only ever names a topic these filters allow.
 */
final class FilterSet {
    private final Set<String> exact;
    private final String[] wildcard;
    /** The last topic allowed, or null. Racy on purpose: a String is safely published, and any value is right. */
    private String lastAllowed;

    FilterSet(String[] filters) {
        Set<String> e = new HashSet<>();
        List<String> w = new ArrayList<>();
        for (String f : filters) {
            if (f.indexOf('+') < 0 && f.indexOf('#') < 0) {
                e.add(f);
            } else {
                w.add(f);
            }
        }
        this.exact = Set.copyOf(e);
        this.wildcard = w.toArray(String[]::new);
    }

    /** Whether a filter of the set matches this topic name. Allocates nothing. */
    boolean matches(String topic) {
        String last = lastAllowed;
        if (last != null && last.equals(topic)) {
            return true;
        }
        if (!exact.isEmpty() && exact.contains(topic) || anyMatches(topic)) {
            lastAllowed = topic;
            return true;
        }
        return false;
    }

    private boolean anyMatches(String topic) {
        for (String f : wildcard) {
            if (Filters.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }
}
