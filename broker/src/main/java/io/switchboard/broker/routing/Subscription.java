package io.switchboard.broker.routing;

import io.switchboard.broker.session.Session;

/**
 * One subscription of a session: its filter, the QoS granted and the 5.0 subscription options.
 *
 * @param subscriptionId the Subscription Identifier, or 0 for none
 */
public record Subscription(Session session, String filter, int qos, boolean noLocal, boolean retainAsPublished,
        int retainHandling, int subscriptionId) {
}
