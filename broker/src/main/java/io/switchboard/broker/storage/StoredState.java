package io.switchboard.broker.storage;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import java.util.List;
import java.util.Set;

/**
 * Everything a storage holds, as read back at start-up.
 *
 * @param lastAliveMillis the last time the previous run was known to be alive (wall clock), or 0:
 *     sessions that were connected when it stopped count their expiry and Will Delay from there
 * @param sessions the stored sessions
 * @param retained the retained messages, expired ones included (the broker drops them)
 */
public record StoredState(long lastAliveMillis, List<StoredSession> sessions, List<Message> retained) {

    public static final StoredState EMPTY = new StoredState(0, List.of(), List.of());

    /** A session and what belongs to it. */
    public record StoredSession(SessionRecord record, List<SubscriptionRecord> subscriptions,
            List<StoredDelivery> deliveries, Set<Integer> pendingPubrel) {
    }

    /**
     * An outbound delivery, in the order deliveries were made.
     *
     * @param packetId its packet id when in flight, 0 while waiting to be sent
     * @param released PUBREL was sent (QoS 2, waiting for PUBCOMP)
     */
    public record StoredDelivery(QueuedMessage message, int packetId, boolean released) {
    }
}
