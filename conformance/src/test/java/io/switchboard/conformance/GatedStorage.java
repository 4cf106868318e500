package io.switchboard.conformance;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A durable storage whose writes can be held back, as a slow disk would hold them: once
 * {@link #holdFromRelease()} is called, the first batch that marks a delivery released (PUBREC came
 * back) and every batch committed after it wait, in order, until {@link #open()} ({@link #holdAll()}:
 * every batch from now on). Closing it while
 * batches wait loses them, as a crash before the fsync would: what was written before is kept.
 */
final class GatedStorage implements Storage {
    private final Storage delegate;
    private boolean holdFromRelease;
    private boolean holdAll;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    GatedStorage(Storage delegate) {
        this.delegate = delegate;
    }

    /** From the next batch that marks a delivery released on, writes wait for {@link #open()}. */
    synchronized void holdFromRelease() {
        holdFromRelease = true;
    }

    /** From now on every write waits for {@link #open()}. */
    synchronized void holdAll() {
        holdAll = true;
    }

    /** The writes held so far go, in order; later ones go at once. */
    synchronized void open() {
        holdFromRelease = false;
        holdAll = false;
        Runnable r;
        while ((r = waiting.poll()) != null) {
            r.run(); // submits only: the stages complete later, on their executors
        }
    }

    /** Number of batches waiting. */
    synchronized int held() {
        return waiting.size();
    }

    private synchronized boolean holds(Gated b) {
        return holdAll || !waiting.isEmpty() || (holdFromRelease && b.releases);
    }

    @Override
    public boolean durable() {
        return delegate.durable();
    }

    @Override
    public StoredState recover() {
        return delegate.recover();
    }

    @Override
    public StorageBatch batch() {
        return new Gated(delegate.batch());
    }

    @Override
    public String describe() {
        return delegate.describe() + ", writes held back on demand (test)";
    }

    /** Closes the store: the batches still waiting are lost. */
    @Override
    public void close() {
        synchronized (this) {
            waiting.clear();
        }
        delegate.close();
    }

    private final class Gated implements StorageBatch {
        private final StorageBatch batch;
        private boolean releases;
        private CompletionStage<Void> committed;

        Gated(StorageBatch batch) {
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
            releases |= released;
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
        public CompletionStage<Void> commit(Executor completeOn) {
            if (committed != null) {
                return committed;
            }
            if (batch.isEmpty()) {
                committed = batch.commit(completeOn);
                return committed;
            }
            synchronized (GatedStorage.this) {
                if (holds(this)) {
                    CompletableFuture<Void> later = new CompletableFuture<>();
                    waiting.add(() -> batch.commit(completeOn).whenComplete((v, e) -> {
                        if (e == null) {
                            later.complete(null);
                        } else {
                            later.completeExceptionally(e);
                        }
                    }));
                    committed = later;
                    return later;
                }
            }
            committed = batch.commit(completeOn);
            return committed;
        }
    }
}
