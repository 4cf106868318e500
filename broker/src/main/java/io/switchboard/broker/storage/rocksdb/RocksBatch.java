package io.switchboard.broker.storage.rocksdb;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    /**
     * One change; {@code kind} says which fields mean something. The addition of a delivery can be
     * cancelled until the writer takes it: a delivery done with before it was written (the subscriber
     * acknowledged it while the write waited for its turn) is then never written, nor is its removal.
     */
    static final class Op {
        private static final int WAITING = 0;
        private static final int TAKEN = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Op.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Kind kind;
        private final String clientId;
        private final Object value;
        private final int packetId;
        private final boolean released;
        /** For an update: the addition of its delivery when that was still waiting, else null. */
        private final Op addition;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        Op(Kind kind, String clientId, Object value, int packetId, boolean released, Op addition) {
            this.kind = kind;
            this.clientId = clientId;
            this.value = value;
            this.packetId = packetId;
            this.released = released;
            this.addition = addition;
        }

        /** Whether this is the addition of {@code clientId}'s {@code delivery}. */
        boolean adds(String clientId, QueuedMessage delivery) {
            return kind == Kind.ADD_DELIVERY && value == delivery && this.clientId.equals(clientId);
        }

        /** An update of a delivery whose addition was cancelled: nothing to update. */
        boolean moot() {
            return addition != null && (int) STATE.getVolatile(addition) == CANCELLED;
        }

        Kind kind() {
            return kind;
        }

        String clientId() {
            return clientId;
        }

        Object value() {
            return value;
        }

        int packetId() {
            return packetId;
        }

        boolean released() {
            return released;
        }

        /** The writer takes the operation to write it; false when it was cancelled first. */
        boolean take() {
            return STATE.compareAndSet(this, WAITING, TAKEN);
        }

        /** Cancels the operation unless the writer took it; whether it did. */
        boolean cancel() {
            return STATE.compareAndSet(this, WAITING, CANCELLED);
        }
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

    private Op add(Kind kind, String clientId, Object value, int packetId, boolean released) {
        return add(kind, clientId, value, packetId, released, null);
    }

    private Op add(Kind kind, String clientId, Object value, int packetId, boolean released, Op addition) {
        if (committed != null) {
            throw new IllegalStateException("batch already committed");
        }
        Op op = new Op(kind, clientId, value, packetId, released, addition);
        ops.add(op);
        return op;
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
        Message m = delivery.message();
        storage.assignId(m);
        Op op = add(Kind.ADD_DELIVERY, clientId, delivery, 0, false);
        m.casPendingWrite(null, op); // the first delivery's addition only; the others are written as they come
    }

    @Override
    public void updateDelivery(String clientId, QueuedMessage delivery, int packetId, boolean released) {
        Op addition = delivery.message().pendingWrite() instanceof Op pending && pending.adds(clientId, delivery)
                ? pending : null;
        add(Kind.UPDATE_DELIVERY, clientId, delivery, packetId, released, addition);
    }

    @Override
    public void removeDelivery(String clientId, QueuedMessage delivery) {
        Message m = delivery.message();
        if (m.pendingWrite() instanceof Op pending && pending.adds(clientId, delivery) && pending.cancel()) {
            m.casPendingWrite(pending, null); // never written: nothing to remove
            return;
        }
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
