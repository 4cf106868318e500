package io.switchboard.broker.storage.rocksdb;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.StorageOpenException;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Reads a store back at start-up, once, before the writer starts: every session with its
 * subscriptions, deliveries in order and pending QoS 2 ids, and the retained messages. What a
 * crash between writes may have left behind (a delivery or subscription of a deleted session, a
 * message no delivery refers to) is deleted on the way. A record that cannot be decoded stops
 * start-up: the directory is corrupt.
 */
final class StoreReader {
    private final RocksDB db;
    private final Path dir;
    private final WriteOptions write;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle sessions;
    private final ColumnFamilyHandle subscriptions;
    private final ColumnFamilyHandle deliveries;
    private final ColumnFamilyHandle messages;
    private final ColumnFamilyHandle pubrels;
    private final ColumnFamilyHandle retained;
    private long maxId;
    private String summary;

    StoreReader(RocksDB db, Path dir, WriteOptions write, ColumnFamilyHandle meta, ColumnFamilyHandle sessions,
            ColumnFamilyHandle subscriptions, ColumnFamilyHandle deliveries, ColumnFamilyHandle messages,
            ColumnFamilyHandle pubrels, ColumnFamilyHandle retained) {
        this.db = db;
        this.dir = dir;
        this.write = write;
        this.meta = meta;
        this.sessions = sessions;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.messages = messages;
        this.pubrels = pubrels;
        this.retained = retained;
    }

    /** The highest message id read: new ones are above it. */
    long maxId() {
        return maxId;
    }

    /** One line for the log: what was read, and how long it took. */
    String summary() {
        return summary;
    }

    /** Reads everything; orphans found on the way are deleted. */
    StoredState read() throws RocksDBException {
        long started = System.nanoTime();
        try (WriteBatch cleanup = new WriteBatch()) {
            byte[] alive = db.get(meta, RocksStorage.ALIVE_KEY);
            long lastAlive = alive == null ? 0 : ByteBuffer.wrap(alive).getLong();
            Map<Long, Message> byId = new HashMap<>();
            long maxId = 0;
            try (RocksIterator it = db.newIterator(messages)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    long id = Records.messageId(it.key());
                    Message m = decode("message", () -> Records.message(it.value()));
                    m.assignStorageId(() -> id);
                    byId.put(id, m);
                    maxId = Math.max(maxId, id);
                }
            }
            this.maxId = maxId;
            List<Message> retainedMessages = new ArrayList<>();
            try (RocksIterator it = db.newIterator(retained)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    retainedMessages.add(decode("retained message", () -> Records.message(it.value())));
                }
            }
            Map<String, SessionRecord> records = new LinkedHashMap<>();
            try (RocksIterator it = db.newIterator(sessions)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    String id = new String(it.key(), StandardCharsets.UTF_8);
                    records.put(id, decode("session", () -> Records.session(id, it.value())));
                }
            }
            Map<String, List<SubscriptionRecord>> subs = new HashMap<>();
            try (RocksIterator it = db.newIterator(subscriptions)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    String id = Records.clientIdOf(it.key());
                    if (!records.containsKey(id)) {
                        cleanup.delete(subscriptions, it.key()); // its session was deleted in the same instant
                        continue;
                    }
                    subs.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(decode("subscription", () -> Records.subscription(it.key(), it.value())));
                }
            }
            Map<String, List<StoredState.StoredDelivery>> queued = new HashMap<>();
            try (RocksIterator it = db.newIterator(deliveries)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    String id = Records.clientIdOf(key);
                    long messageId = Records.rest(key).readLong();
                    Message m = byId.get(messageId);
                    if (m == null || !records.containsKey(id)) {
                        cleanup.delete(deliveries, key); // left behind by a session or message that is gone
                        continue;
                    }
                    Records.Delivery d = decode("delivery", () -> Records.delivery(key, it.value(), m));
                    m.addStoredRefs(1);
                    queued.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new StoredState.StoredDelivery(d.message(), d.packetId(), d.released()));
                }
            }
            for (Map.Entry<Long, Message> e : byId.entrySet()) {
                if (e.getValue().addStoredRefs(0) == 0) {
                    cleanup.delete(messages, Records.messageKey(e.getKey())); // no delivery refers to it
                }
            }
            Map<String, Set<Integer>> pending = new HashMap<>();
            try (RocksIterator it = db.newIterator(pubrels)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    String id = Records.clientIdOf(it.key());
                    if (!records.containsKey(id)) {
                        cleanup.delete(pubrels, it.key());
                        continue;
                    }
                    pending.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(Records.pubrel(it.key()));
                }
            }
            if (cleanup.count() > 0) {
                db.write(write, cleanup);
            }
            List<StoredState.StoredSession> all = new ArrayList<>(records.size());
            for (SessionRecord r : records.values()) {
                String id = r.clientId();
                all.add(new StoredState.StoredSession(r, subs.getOrDefault(id, List.of()),
                        queued.getOrDefault(id, List.of()), pending.getOrDefault(id, Set.of())));
            }
            summary = String.format("Storage: read %d sessions, %d stored messages in %d deliveries, %d retained"
                    + " messages in %d ms", all.size(), byId.size(), queued.values().stream().mapToInt(List::size).sum(),
                    retainedMessages.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new StoredState(lastAlive, all, retainedMessages);
        }
    }

    /** Decodes a record; one that cannot be decoded means the directory is corrupt. */
    private <T> T decode(String what, Supplier<T> d) {
        try {
            return d.get();
        } catch (RuntimeException e) {
            throw new StorageOpenException("the data directory " + dir + " is corrupt: a stored " + what
                    + " cannot be read (" + e.getMessage() + "). Restore it from a backup, or move it away to"
                    + " start with an empty store.", e);
        }
    }
}
