package io.switchboard.broker.storage.rocksdb;

import io.switchboard.broker.storage.StorageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the writer decides about one group of batches, the batches waiting when it was free, written
 * as one RocksDB write: whether anyone waits for it (an fsync), which of its operations cancel out,
 * and completing its stages once written.
 */
final class Groups {
    private Groups() {
    }

    /** Whether a batch of the group has a stage someone waits on. */
    static boolean awaited(List<RocksBatch> group) {
        for (RocksBatch b : group) {
            if (b.result != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The operations of deliveries both added and removed within this group (a subscriber that
     * acknowledged a message before its write came round): written, they would cancel out, so they
     * are left out, and so is the message when no other delivery keeps it. Null when there are none.
     */
    static Set<RocksBatch.Op> deliveriesDoneWithin(List<RocksBatch> group) {
        Map<Object, List<RocksBatch.Op>> added = null;
        Set<RocksBatch.Op> cancelled = null;
        for (RocksBatch b : group) {
            for (RocksBatch.Op op : b.ops) {
                switch (op.kind()) {
                    case ADD_DELIVERY -> {
                        if (added == null) {
                            added = new IdentityHashMap<>();
                        }
                        List<RocksBatch.Op> ops = new ArrayList<>(2);
                        ops.add(op);
                        added.put(op.value(), ops); // a delivery is one QueuedMessage object, one session's
                    }
                    case UPDATE_DELIVERY -> {
                        List<RocksBatch.Op> ops = added == null ? null : added.get(op.value());
                        if (ops != null) {
                            ops.add(op);
                        }
                    }
                    case REMOVE_DELIVERY -> {
                        List<RocksBatch.Op> ops = added == null ? null : added.remove(op.value());
                        if (ops != null) {
                            if (cancelled == null) {
                                cancelled = Collections.newSetFromMap(new IdentityHashMap<>());
                            }
                            cancelled.addAll(ops);
                            cancelled.add(op);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return cancelled;
    }

    /**
     * Completes each batch's stage on the executor it was committed with: one task per executor for
     * the whole group (an event loop then sends all its acknowledgements in one go), in order.
     */
    static void complete(List<RocksBatch> group, StorageException failure) {
        Map<Executor, List<CompletableFuture<Void>>> byExecutor = new IdentityHashMap<>();
        for (RocksBatch b : group) {
            if (b.result != null) { // durability none: completed when committed
                byExecutor.computeIfAbsent(b.completeOn, e -> new ArrayList<>()).add(b.result);
            }
        }
        byExecutor.forEach((executor, futures) -> {
            Runnable done = () -> {
                for (CompletableFuture<Void> f : futures) {
                    if (failure == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(failure);
                    }
                }
            };
            try {
                executor.execute(done);
            } catch (RejectedExecutionException e) {
                done.run(); // the loop is shutting down
            }
        });
    }
}
