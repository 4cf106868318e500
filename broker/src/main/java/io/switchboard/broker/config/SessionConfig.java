package io.switchboard.broker.config;

/**
 * Sessions and their queues.
 *
 * @param maxSessionExpiryInterval highest Session Expiry Interval granted, in seconds; 4294967295
 *     means sessions may never expire; default 4294967295
 * @param persistentSessionExpiry the expiry in seconds given to 3.1.1 sessions with Clean Session 0;
 *     default 4294967295 (never, as Mosquitto)
 * @param maxQueuedMessages messages queued per session beyond those in flight; default 1000
 * @param maxQueuedBytes payload bytes queued per session; default 64 MiB
 * @param queueQos0 whether QoS 0 messages are queued for offline sessions; default false
 */
public record SessionConfig(Long maxSessionExpiryInterval, Long persistentSessionExpiry, Integer maxQueuedMessages,
        Long maxQueuedBytes, Boolean queueQos0) {
    public static final long NEVER = 0xFFFF_FFFFL;

    public SessionConfig {
        maxSessionExpiryInterval = Check.range("sessions.maxSessionExpiryInterval", maxSessionExpiryInterval,
                NEVER, 0, NEVER);
        persistentSessionExpiry = Check.range("sessions.persistentSessionExpiry", persistentSessionExpiry,
                NEVER, 0, NEVER);
        maxQueuedMessages = Check.range("sessions.maxQueuedMessages", maxQueuedMessages, 1000, 0, 10_000_000);
        maxQueuedBytes = Check.range("sessions.maxQueuedBytes", maxQueuedBytes, 64L << 20, 0, Long.MAX_VALUE);
        queueQos0 = queueQos0 != null && queueQos0;
    }

    public static SessionConfig defaults() {
        return new SessionConfig(null, null, null, null, null);
    }
}
