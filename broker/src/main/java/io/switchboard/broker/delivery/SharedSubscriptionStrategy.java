package io.switchboard.broker.delivery;

import io.switchboard.broker.routing.SharedGroup;
import io.switchboard.broker.routing.Subscription;
import java.util.Locale;

/**
 * How one member of a shared group is chosen for each message (section 4.8.2). Both prefer members
 * that are connected; a message goes to a disconnected member (and waits in its session) only
 * when no member is connected.
 */
public enum SharedSubscriptionStrategy {
    /** Each message to the next connected member, in turn. */
    ROUND_ROBIN,
    /** The connected member with the fewest unacknowledged QoS 1/2 messages; ties in turn. */
    LEAST_UNACKNOWLEDGED;

    /** The configuration name, e.g. {@code round-robin}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SharedSubscriptionStrategy fromConfigName(String name) {
        for (SharedSubscriptionStrategy s : values()) {
            if (s.configName().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The member to deliver to, or null when the group has none with a session. {@code exclude}
     * (may be null) is a client that must not be chosen when another member exists.
     */
    Choice choose(SharedGroup group, Subscribers subscribers, String exclude) {
        Subscription[] members = group.members();
        int n = members.length;
        if (n == 0) {
            return null;
        }
        int start = group.nextCursor() % n;
        Choice fallback = null;
        Choice best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            Subscription s = members[(start + k) % n];
            if (s.clientId().equals(exclude) && n > 1) {
                continue;
            }
            Subscriber target = subscribers.find(s.clientId());
            if (target == null) {
                continue;
            }
            if (!target.online()) {
                if (fallback == null) {
                    fallback = new Choice(s, target);
                }
                continue;
            }
            if (this == ROUND_ROBIN) {
                return new Choice(s, target);
            }
            int load = target.unacknowledged();
            if (load < bestLoad) {
                bestLoad = load;
                best = new Choice(s, target);
            }
        }
        return best != null ? best : fallback;
    }

    record Choice(Subscription subscription, Subscriber subscriber) {
    }
}
