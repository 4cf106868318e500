package io.switchboard.broker.storage;

import java.util.List;
import java.util.Set;

/**
 * What is stored of a session besides its queue.
 *
 * @param expiryIntervalSeconds the Session Expiry Interval; 4294967295 means never
 * @param pendingPubrel packet ids of QoS 2 messages received but not yet released by the client
 */
public record SessionRecord(String clientId, long expiryIntervalSeconds, List<SubscriptionRecord> subscriptions,
        Set<Integer> pendingPubrel) {

    public SessionRecord {
        subscriptions = List.copyOf(subscriptions);
        pendingPubrel = Set.copyOf(pendingPubrel);
    }

    /** A stored subscription; {@code subscriptionId} 0 means none. */
    public record SubscriptionRecord(String filter, int qos, boolean noLocal, boolean retainAsPublished,
            int retainHandling, int subscriptionId) {
    }
}
