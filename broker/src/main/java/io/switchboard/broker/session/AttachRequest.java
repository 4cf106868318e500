package io.switchboard.broker.session;

/**
 * A connection asking for its session.
 *
 * @param cleanStart discard any existing session ([MQTT-3.1.2-4])
 * @param expiryIntervalSeconds the Session Expiry Interval granted (4294967295: never)
 */
public record AttachRequest(SessionEndpoint endpoint, String clientId, boolean cleanStart, long expiryIntervalSeconds) {
}
