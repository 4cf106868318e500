package io.switchboard.broker.storage.rocksdb;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Operations recorded on the caller's thread and turned into RocksDB writes by the storage's writer
 * thread, which also counts the stored deliveries of each message (so a message is written with
 * its first stored delivery and deleted with its last).
 */
final class RocksBatch implements StorageBatch {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** One change; {@code kind} says which fields mean something. */
    record Op(Kind kind, String clientId, Object value, int packetId, boolean released) {
    }

    enum Kind {
        PUT_SESSION, DELETE_SESSION, PUT_SUBSCRIPTION, DELETE_SUBSCRIPTION, ADD_DELIVERY, UPDATE_DELIVERY,
        REMOVE_DELIVERY, ADD_PUBREL, REMOVE_PUBREL, PUT_RETAINED, DELETE_RETAINED
    }

    private final RocksStorage storage;
    final List<Op> ops = new ArrayList<>(4);
    private CompletableFuture<Void> committed;
    /** Where the stage completes; set by commit. */
    Executor completeOn;
    /** Completed by the writer, then handed to {@link #completeOn}. */
    CompletableFuture<Void> result;

    RocksBatch(RocksStorage storage) {
        this.storage = storage;
    }

    private void add(Kind kind, String clientId, Object value, int packetId, boolean released) {
        if (committed != null) {
            throw new IllegalStateException("batch already committed");
        }
        ops.add(new Op(kind, clientId, value, packetId, released));
    }

    @Override
    public void putSession(SessionRecord record) {
        add(Kind.PUT_SESSION, record.clientId(), record, 0, false);
    }

    @Override
    public void deleteSession(String clientId) {
        add(Kind.DELETE_SESSION, clientId, null, 0, false);
    }

    @Override
    public void putSubscription(String clientId, SubscriptionRecord subscription) {
        add(Kind.PUT_SUBSCRIPTION, clientId, subscription, 0, false);
    }

    @Override
    public void deleteSubscription(String clientId, String filter) {
        add(Kind.DELETE_SUBSCRIPTION, clientId, filter, 0, false);
    }

    @Override
    public void addDelivery(String clientId, QueuedMessage delivery) {
        storage.assignId(delivery.message());
        add(Kind.ADD_DELIVERY, clientId, delivery, 0, false);
    }

    @Override
    public void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released) {
        add(Kind.UPDATE_DELIVERY, clientId, delivery, packetId, released);
    }

    @Override
    public void removeDelivery(String clientId, QueuedMessage delivery) {
        add(Kind.REMOVE_DELIVERY, clientId, delivery, 0, false);
    }

    @Override
    public void addPendingPubrel(String clientId, int packetId) {
        add(Kind.ADD_PUBREL, clientId, null, packetId, false);
    }

    @Override
    public void removePendingPubrel(String clientId, int packetId) {
        add(Kind.REMOVE_PUBREL, clientId, null, packetId, false);
    }

    @Override
    public void putRetained(Message message) {
        add(Kind.PUT_RETAINED, null, message, 0, false);
    }

    @Override
    public void deleteRetained(String topic) {
        add(Kind.DELETE_RETAINED, null, topic, 0, false);
    }

    @Override
    public boolean isEmpty() {
        return ops.isEmpty();
    }

    @Override
    public void submit() {
        if (committed != null) {
            return;
        }
        committed = DONE;
        if (!ops.isEmpty()) {
            storage.submitUnwatched(this);
        }
    }

    @Override
    public CompletionStage<Void> commit(Executor completeOn) {
        if (committed != null) {
            return committed;
        }
        if (ops.isEmpty()) {
            committed = DONE;
            return DONE;
        }
        this.completeOn = completeOn;
        committed = storage.submit(this);
        return committed;
    }
}
