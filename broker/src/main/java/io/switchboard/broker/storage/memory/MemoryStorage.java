package io.switchboard.broker.storage.memory;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The in-memory storage, the reference: the broker's working state in memory is all there is, so
 * nothing is written and nothing survives a restart. Selected with {@code storage: memory}.
 */
public final class MemoryStorage implements Storage {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    /** Every write is already "durable" as far as memory goes: one stateless batch serves all. */
    private static final StorageBatch NOTHING = new StorageBatch() {
        @Override
        public void putSession(SessionRecord record) {
        }

        @Override
        public void deleteSession(String clientId) {
        }

        @Override
        public void putSubscription(String clientId, SubscriptionRecord subscription) {
        }

        @Override
        public void deleteSubscription(String clientId, String filter) {
        }

        @Override
        public void addDelivery(String clientId, QueuedMessage delivery) {
        }

        @Override
        public void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released) {
        }

        @Override
        public void removeDelivery(String clientId, QueuedMessage delivery) {
        }

        @Override
        public void addPendingPubrel(String clientId, int packetId) {
        }

        @Override
        public void removePendingPubrel(String clientId, int packetId) {
        }

        @Override
        public void putRetained(Message message) {
        }

        @Override
        public void deleteRetained(String topic) {
        }

        @Override
        public void submit() {
        }

        @Override
        public boolean isEmpty() {
            return true;
        }

        @Override
        public CompletionStage<Void> commit(Executor completeOn) {
            return DONE;
        }
    };

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public StoredState recover() {
        return StoredState.EMPTY;
    }

    @Override
    public StorageBatch batch() {
        return NOTHING;
    }

    @Override
    public String describe() {
        return "in memory (nothing survives a restart)";
    }

    @Override
    public void close() {
    }
}
