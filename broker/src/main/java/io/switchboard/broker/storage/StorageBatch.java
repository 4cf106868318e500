package io.switchboard.broker.storage;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Changes to stored state, applied together, in the order they were added, after every batch
 * committed before this one. A delivery refers to its message; the storage keeps each message once,
 * however many deliveries refer to it, and forgets it with the last of them.
 */
public interface StorageBatch {

    /** Creates or replaces a session's record. */
    void putSession(SessionRecord record);

    /** Deletes a session with its subscriptions, deliveries and pending QoS 2 ids. */
    void deleteSession(String clientId);

    void putSubscription(String clientId, SubscriptionRecord subscription);

    void deleteSubscription(String clientId, String filter);

    /** A new outbound delivery for a session, waiting to be sent ({@link QueuedMessage#stored()}). */
    void addDelivery(String clientId, QueuedMessage delivery);

    /**
     * A stored delivery is in flight under {@code packetId}; {@code released} once PUBREC came back
     * and PUBREL was sent (QoS 2).
     */
    void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released);

    /** A stored delivery is done (acknowledged, dropped, or handed to another session). */
    void removeDelivery(String clientId, QueuedMessage delivery);

    /** A QoS 2 PUBLISH was received and awaits PUBREL. */
    void addPendingPubrel(String clientId, int packetId);

    void removePendingPubrel(String clientId, int packetId);

    /** The topic's retained message is now this one. */
    void putRetained(Message message);

    void deleteRetained(String topic);

    /**
     * Submits the batch when nothing waits for it (the end of a delivery, a session's record): no
     * stage, nothing completed; a failure is logged by the storage. Ordered with every other batch.
     */
    void submit();

    /** Whether nothing was added. */
    boolean isEmpty();

    /**
     * Submits the batch. The stage completes, on {@code completeOn}, once the batch is durable as
     * the storage's mode promises, or exceptionally with a {@link StorageException}. An empty batch
     * completes at once (the caller orders its acknowledgements itself). Committing again adds
     * nothing and returns the same stage; nothing may be added after the first commit.
     */
    CompletionStage<Void> commit(Executor completeOn);
}
