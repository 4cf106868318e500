package io.switchboard.broker.routing;

/**
 * One subscription of a session, as plain values: the subscriber's client id, its filter, the QoS
 * granted and the 5.0 subscription options. No reference to a live session, so the tree can be
 * rebuilt from storage and shared beyond one process.
 *
 * @param filter the Topic Filter as subscribed; for a shared subscription the whole
 *     {@code $share/{group}/{filter}}
 * @param subscriptionId the Subscription Identifier, or 0 for none
 */
public record Subscription(String clientId, String filter, int qos, boolean noLocal, boolean retainAsPublished,
        int retainHandling, int subscriptionId) {
}
