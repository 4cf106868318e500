package io.switchboard.broker.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one Shared Subscription {@code $share/{shareName}/{filter}} (section 4.8.2): each
 * message matching the filter goes to one member. Members are read lock-free (a copy-on-write
 * array); the subscription tree changes them under its write lock.
 */
public final class SharedGroup {
    private final String shareName;
    private final String topicFilter;
    private final String sharedFilter;
    private volatile Subscription[] members = new Subscription[0];
    private final AtomicInteger cursor = new AtomicInteger();

    SharedGroup(String shareName, String topicFilter, String sharedFilter) {
        this.shareName = shareName;
        this.topicFilter = topicFilter;
        this.sharedFilter = sharedFilter;
    }

    public String shareName() {
        return shareName;
    }

    public String topicFilter() {
        return topicFilter;
    }

    /** {@code $share/{shareName}/{filter}}, as the members subscribed. */
    public String sharedFilter() {
        return sharedFilter;
    }

    /** A snapshot of the members, in the order they joined. */
    public Subscription[] members() {
        return members;
    }

    /** The next start position for round robin selection; any thread. */
    public int nextCursor() {
        return cursor.getAndIncrement() & Integer.MAX_VALUE;
    }

    /** Adds or replaces a member; true when it replaced one. Writers only. */
    boolean put(Subscription s) {
        Subscription[] m = members;
        for (int i = 0; i < m.length; i++) {
            if (m[i].clientId().equals(s.clientId())) {
                Subscription[] copy = m.clone();
                copy[i] = s;
                members = copy;
                return true;
            }
        }
        Subscription[] copy = Arrays.copyOf(m, m.length + 1);
        copy[m.length] = s;
        members = copy;
        return false;
    }

    /** Removes a member; true when it was one. Writers only. */
    boolean remove(String clientId) {
        Subscription[] m = members;
        for (int i = 0; i < m.length; i++) {
            if (m[i].clientId().equals(clientId)) {
                Subscription[] copy = new Subscription[m.length - 1];
                System.arraycopy(m, 0, copy, 0, i);
                System.arraycopy(m, i + 1, copy, i, m.length - i - 1);
                members = copy;
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return members.length == 0;
    }
}
