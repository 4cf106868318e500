package io.switchboard.broker.session;

import io.switchboard.broker.routing.Subscription;
import java.util.List;

/**
 * One session as the admin API shows it, taken on the session's event loop at one moment.
 *
 * @param clientId the client id
 * @param connection its connection, or null when offline
 * @param ownerName the authentication name the session belongs to (with an authorizer in force), or null
 * @param expiryIntervalSeconds the Session Expiry Interval ({@link Session#NEVER_EXPIRES}: never)
 * @param persistent whether its deliveries are stored (durable storage and an expiry above 0)
 * @param queued messages waiting to be sent
 * @param inflight QoS 1 and 2 messages sent and not yet acknowledged
 * @param awaitingPubrel QoS 2 messages received from the client and awaiting its PUBREL
 * @param subscriptions its subscriptions, by filter
 */
public record SessionView(String clientId, ConnectionInfo connection, String ownerName, long expiryIntervalSeconds,
        boolean persistent, int queued, int inflight, int awaitingPubrel, List<Subscription> subscriptions) {
    public SessionView {
        subscriptions = List.copyOf(subscriptions);
    }
}
