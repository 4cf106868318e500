package io.switchboard.conformance;

import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StorageException;
import io.switchboard.broker.storage.StoredState;
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
        return new ForwardingBatch(real.batch()) {
            private CompletionStage<Void> committed;

            @Override
            public CompletionStage<Void> commit(Executor completeOn) {
                if (committed == null) {
                    StorageException e = fail;
                    committed = e != null && !batch.isEmpty() ? CompletableFuture.failedFuture(e)
                            : batch.commit(completeOn);
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
