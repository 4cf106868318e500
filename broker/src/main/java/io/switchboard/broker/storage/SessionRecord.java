package io.switchboard.broker.storage;

import io.switchboard.codec.packet.Will;

/**
 * What is stored of a session besides its subscriptions, deliveries and pending QoS 2 ids.
 *
 * @param expiryIntervalSeconds the Session Expiry Interval; 4294967295 means never
 * @param disconnectedAtMillis when its connection went (wall clock), or 0 while one is attached:
 *     expiry and the Will Delay count from there, across a restart
 * @param will the Will of the attached connection, or of the connection that went and whose Will
 *     waits for its delay; null when there is none
 * @param authenticationName who the client authenticated as (for the authorization of its Will),
 *     or null
 * @param listener the listener its connection came through, or null
 */
public record SessionRecord(String clientId, long expiryIntervalSeconds, long disconnectedAtMillis, Will will,
        String authenticationName, String listener) {
}
