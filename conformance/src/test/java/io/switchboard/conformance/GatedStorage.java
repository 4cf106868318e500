package io.switchboard.conformance;

import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
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

    private final class Gated extends ForwardingBatch {
        private boolean releases;
        private CompletionStage<Void> committed;

        Gated(StorageBatch batch) {
            super(batch);
        }

        @Override
        public void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released) {
            releases |= released;
            batch.updateDelivery(clientId, delivery, packetId, released);
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
