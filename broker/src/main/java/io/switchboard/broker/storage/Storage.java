package io.switchboard.broker.storage;

/**
 * Where the broker keeps what outlives a connection and, when durable, a restart: sessions with
 * their subscriptions, Wills and outbound deliveries, QoS 2 packet ids awaiting PUBREL, and
 * retained messages.
 *
 * <p>The broker holds its working state in memory (sessions, queues, the subscription tree, the
 * retained index) and tells the storage what changed, in {@link StorageBatch}es. A batch is
 * applied after every batch committed before it, whatever thread committed it, and its
 * {@link StorageBatch#commit commit} completes when the batch is as durable as the storage
 * promises: only then may the broker acknowledge what the batch records. Nothing is read back
 * while the broker runs; {@link #recover()} reads everything once, at start-up.
 *
 * <p>Implementations: {@code memory} (the reference: nothing is written, nothing survives a
 * restart) and {@code rocksdb} (embedded RocksDB, with group commit).
 */
public interface Storage extends AutoCloseable {

    /**
     * False when nothing outlives the process: the broker then builds no batches at all, so the
     * in-memory broker pays nothing for the storage seam.
     */
    boolean durable();

    /** Everything stored, read once at start-up before any listener opens; empty for a new store. */
    StoredState recover();

    /** A new, empty batch of writes. Filled and committed by one thread. */
    StorageBatch batch();

    /**
     * Whether it takes writes now (for the readiness check): false once closed, or when it cannot
     * write. Any thread. Default true.
     */
    default boolean isOpen() {
        return true;
    }

    /** One line for the start-up log: what is stored where, and with which durability. */
    String describe();

    /**
     * Stops the storage: every batch committed before is applied and made durable first, then the
     * store is closed. Batches committed afterwards fail.
     */
    @Override
    void close();
}
