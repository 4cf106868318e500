package io.switchboard.broker.session;

import io.switchboard.codec.packet.Will;

/**
 * A connection asking for its session.
 *
 * @param cleanStart discard any existing session ([MQTT-3.1.2-4])
 * @param expiryIntervalSeconds the Session Expiry Interval granted (4294967295: never)
 * @param will the connection's Will Message, or null: stored with the session, so that it is
 *     published even if the broker stops before the connection ends
 */
public record AttachRequest(SessionEndpoint endpoint, String clientId, boolean cleanStart, long expiryIntervalSeconds,
        Will will) {
}
