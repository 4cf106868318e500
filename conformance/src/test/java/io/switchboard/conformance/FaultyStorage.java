package io.switchboard.conformance;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StorageException;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A real storage with a fault injected at the SPI boundary: while {@link #fail} is set, every
 * non-empty batch fails as a full disk (or an I/O error) would, and writes nothing.
 */
final class FaultyStorage implements Storage {
    private final Storage real;
    volatile StorageException fail;

    FaultyStorage(Storage real) {
        this.real = real;
    }

    static StorageException diskFull() {
        return new StorageException("the disk is full", true, null);
    }

    static StorageException ioError() {
        return new StorageException("storage write failed: IOError: injected", false, null);
    }

    @Override
    public boolean durable() {
        return real.durable();
    }

    @Override
    public StoredState recover() {
        return real.recover();
    }

    @Override
    public StorageBatch batch() {
        StorageBatch b = real.batch();
        return new StorageBatch() {
            private CompletionStage<Void> committed;

            @Override
            public void putSession(SessionRecord record) {
                b.putSession(record);
            }

            @Override
            public void deleteSession(String clientId) {
                b.deleteSession(clientId);
            }

            @Override
            public void putSubscription(String clientId, SubscriptionRecord subscription) {
                b.putSubscription(clientId, subscription);
            }

            @Override
            public void deleteSubscription(String clientId, String filter) {
                b.deleteSubscription(clientId, filter);
            }

            @Override
            public void addDelivery(String clientId, QueuedMessage delivery) {
                b.addDelivery(clientId, delivery);
            }

            @Override
            public void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released) {
                b.updateDelivery(clientId, delivery, packetId, released);
            }

            @Override
            public void removeDelivery(String clientId, QueuedMessage delivery) {
                b.removeDelivery(clientId, delivery);
            }

            @Override
            public void addPendingPubrel(String clientId, int packetId) {
                b.addPendingPubrel(clientId, packetId);
            }

            @Override
            public void removePendingPubrel(String clientId, int packetId) {
                b.removePendingPubrel(clientId, packetId);
            }

            @Override
            public void putRetained(Message message) {
                b.putRetained(message);
            }

            @Override
            public void deleteRetained(String topic) {
                b.deleteRetained(topic);
            }

            @Override
            public boolean isEmpty() {
                return b.isEmpty();
            }

            @Override
            public CompletionStage<Void> commit(Executor completeOn) {
                if (committed == null) {
                    StorageException e = fail;
                    committed = e != null && !b.isEmpty() ? CompletableFuture.failedFuture(e) : b.commit(completeOn);
                }
                return committed;
            }
        };
    }

    @Override
    public String describe() {
        return real.describe() + " (with injected faults)";
    }

    @Override
    public void close() {
        real.close();
    }
}
