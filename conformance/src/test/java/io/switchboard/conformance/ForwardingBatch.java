package io.switchboard.conformance;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A batch that passes everything to a real one; the storages that inject faults or hold writes
 * back in tests override {@link #commit} (and what else they watch).
 */
abstract class ForwardingBatch implements StorageBatch {
    protected final StorageBatch batch;

    ForwardingBatch(StorageBatch batch) {
        this.batch = batch;
    }

    @Override
    public void putSession(SessionRecord record) {
        batch.putSession(record);
    }

    @Override
    public void deleteSession(String clientId) {
        batch.deleteSession(clientId);
    }

    @Override
    public void putSubscription(String clientId, SubscriptionRecord subscription) {
        batch.putSubscription(clientId, subscription);
    }

    @Override
    public void deleteSubscription(String clientId, String filter) {
        batch.deleteSubscription(clientId, filter);
    }

    @Override
    public void addDelivery(String clientId, QueuedMessage delivery) {
        batch.addDelivery(clientId, delivery);
    }

    @Override
    public void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released) {
        batch.updateDelivery(clientId, delivery, packetId, released);
    }

    @Override
    public void removeDelivery(String clientId, QueuedMessage delivery) {
        batch.removeDelivery(clientId, delivery);
    }

    @Override
    public void addPendingPubrel(String clientId, int packetId) {
        batch.addPendingPubrel(clientId, packetId);
    }

    @Override
    public void removePendingPubrel(String clientId, int packetId) {
        batch.removePendingPubrel(clientId, packetId);
    }

    @Override
    public void putRetained(Message message) {
        batch.putRetained(message);
    }

    @Override
    public void deleteRetained(String topic) {
        batch.deleteRetained(topic);
    }

    @Override
    public boolean isEmpty() {
        return batch.isEmpty();
    }

    @Override
    public abstract CompletionStage<Void> commit(Executor completeOn);

    /** As a commit nobody waits for, so that a storage that holds or fails commits does the same here. */
    @Override
    public void submit() {
        commit(Runnable::run);
    }
}
