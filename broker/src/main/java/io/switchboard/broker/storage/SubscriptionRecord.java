package io.switchboard.broker.storage;

/** A stored subscription; {@code subscriptionId} 0 means none. */
public record SubscriptionRecord(String filter, int qos, boolean noLocal, boolean retainAsPublished,
        int retainHandling, int subscriptionId) {
}
