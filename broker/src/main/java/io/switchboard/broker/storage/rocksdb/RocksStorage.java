package io.switchboard.broker.storage.rocksdb;

import io.netty.util.internal.PlatformDependent;
import io.switchboard.broker.config.StorageConfig;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StorageException;
import io.switchboard.broker.storage.StorageOpenException;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable storage in an embedded RocksDB, one column family per kind of record ({@link Records}).
 *
 * <p>One writer thread applies the committed batches in order. It takes every batch waiting when
 * it is free and writes them as one RocksDB write: with {@code sync}, one fsync of the write-ahead
 * log then covers all of them (group commit), so many clients share it and no event loop ever
 * waits for the disk; each batch's stage completes on the caller's event loop after that fsync.
 * {@code periodic} writes without fsync (the log reaches the operating system at once, so a
 * process crash loses nothing) and a second thread syncs the log every {@code fsyncIntervalMillis};
 * {@code none} completes each batch at once and writes it in the background.
 *
 * <p>When a write fails (a full disk, an I/O error), the batches in it fail, which refuses what
 * they would have acknowledged; RocksDB then refuses writes until reopened, so the writer reopens
 * it (at most once a second) until writing works again. Nothing written before is touched.
 */
public final class RocksStorage implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStorage.class);
    /** The on-disk format this version writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final byte[] FORMAT_KEY = Records.utf8("format-version");
    static final byte[] ALIVE_KEY = Records.utf8("last-alive");
    private static final List<String> FAMILIES = List.of("sessions", "subscriptions", "deliveries", "messages",
            "pubrels", "retained");
    private static final int MAX_GROUP = 8192;
    private static final long ALIVE_EVERY_MILLIS = 1000;
    private static final RocksBatch STOP = new RocksBatch(null);

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final String durability;
    private final long fsyncIntervalMillis;
    private final Clock clock;
    /** Where the writer records the time and size of each group write. */
    private final BrokerMetrics metrics;
    private final AtomicLong ids = new AtomicLong();
    /**
     * Batches committed and not yet written. Lock-free: event loops add to it and must never wait
     * for a lock the writer holds; the writer sleeps when it is empty and is woken by the next add.
     */
    /**
     * Batches waiting for the writer, which alone takes them. A multi-producer single-consumer array
     * queue: the event loops' offers showed in their profile with a ConcurrentLinkedQueue (a node
     * allocated and a contended tail per offer).
     */
    private final Queue<RocksBatch> queue = PlatformDependent.newMpscQueue();
    private volatile boolean writerSleeping;
    private final Thread writer;
    /**
     * With {@code periodic}: fsyncs the write-ahead log every {@code fsyncIntervalMillis}, while the
     * writer goes on. ({@code sync} fsyncs in the writer, with the write: batches committed meanwhile
     * gather into the next group, which is what lets an added delivery and its removal meet in one
     * group and cancel out; an fsync overlapping the next write measured slower, see durability.md.)
     */
    private final Thread syncer;
    private volatile boolean writerDone;
    /** Held by the syncer around an fsync and by the writer around reopening the store. */
    private final Object dbLock = new Object();
    private final WriteOptions noSync = new WriteOptions().setSync(false);
    private final WriteOptions lastWrite = new WriteOptions().setSync(true);
    /** Whether a group someone waits for is written with its fsync ({@code sync}). */
    private final boolean syncAwaited;
    private volatile boolean closing;
    private StoredState recovered;
    /** What was read at open, for the log. */
    private String readSummary;

    // Owned by the writer thread once it runs (and reopened by it after a failure).
    private DBOptions dbOptions;
    private ColumnFamilyOptions familyOptions;
    private RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private ColumnFamilyHandle meta;
    private ColumnFamilyHandle sessions;
    private ColumnFamilyHandle subscriptions;
    private ColumnFamilyHandle deliveries;
    private ColumnFamilyHandle messages;
    private ColumnFamilyHandle pubrels;
    private ColumnFamilyHandle retained;
    private volatile long failures;
    private long lastFailureLog;
    private long lastReopen;
    /** Whether a write went without fsync since the last one (writer thread only). */
    private boolean unsynced;

    private RocksStorage(StorageConfig config, Clock clock, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.dir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        this.durability = config.durability();
        this.fsyncIntervalMillis = config.fsyncIntervalMillis();
        this.clock = clock;
        this.syncAwaited = "sync".equals(durability);
        this.writer = new Thread(this::run, "sb-storage");
        this.writer.setDaemon(true);
        this.syncer = "periodic".equals(durability) ? new Thread(this::syncLoop, "sb-storage-sync") : null;
        if (syncer != null) {
            syncer.setDaemon(true);
        }
    }

    /**
     * Opens (creating on first start) the store in {@code config.dataDir()} and reads it back; the
     * time and size of its group writes are recorded in metrics of its own, which no one reads.
     *
     * @throws StorageOpenException when the directory cannot be used, with what to do
     */
    public static RocksStorage open(StorageConfig config, Clock clock) {
        return open(config, clock, new BrokerMetrics());
    }

    /**
     * Opens (creating on first start) the store in {@code config.dataDir()} and reads it back. Its
     * writer records the time of each group write in {@link BrokerMetrics#storageWriteNanos} and its
     * number of batches in {@link BrokerMetrics#storageGroupBatches}.
     *
     * @throws StorageOpenException when the directory cannot be used, with what to do
     */
    public static RocksStorage open(StorageConfig config, Clock clock, BrokerMetrics metrics) {
        RocksStorage s = new RocksStorage(config, clock, metrics);
        s.openDatabase(true);
        s.recovered = s.readAll();
        s.writer.start();
        if (s.syncer != null) {
            s.syncer.start();
        }
        return s;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public StoredState recover() {
        if (readSummary != null) {
            LOG.info(readSummary);
            readSummary = null;
        }
        StoredState s = recovered;
        recovered = StoredState.EMPTY; // read once: let the memory go
        return s == null ? StoredState.EMPTY : s;
    }

    @Override
    public StorageBatch batch() {
        return new RocksBatch(this);
    }

    @Override
    public String describe() {
        return "RocksDB in " + dir + ", durability " + durability + " (" + switch (durability) {
            case "sync" -> "acknowledged once on disk; one fsync serves every write waiting together";
            case "periodic" -> "acknowledged once written to the operating system; fsync every "
                    + fsyncIntervalMillis + " ms: a power loss may lose up to that";
            default -> "acknowledged at once, written in the background: a crash may lose the last writes";
        } + ")";
    }

    @Override
    public boolean isOpen() {
        return !closing && writer.isAlive();
    }

    void assignId(Message m) {
        m.assignStorageId(ids::incrementAndGet);
    }

    CompletableFuture<Void> submit(RocksBatch b) {
        if (closing) {
            return CompletableFuture.failedFuture(new StorageException("the storage is closed", false, null));
        }
        boolean none = "none".equals(durability);
        b.result = none ? null : new CompletableFuture<>();
        enqueue(b);
        return none ? CompletableFuture.completedFuture(null) : b.result;
    }

    private void enqueue(RocksBatch b) {
        queue.offer(b);
        if (writerSleeping) {
            LockSupport.unpark(writer); // never blocks
        }
    }

    /** Takes what is waiting, up to {@link #MAX_GROUP} batches, sleeping up to {@code tickMillis} for the first. */
    private void take(List<RocksBatch> group, long tickMillis) {
        RocksBatch b = queue.poll();
        if (b == null) {
            writerSleeping = true;
            if (queue.isEmpty()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(tickMillis));
            }
            writerSleeping = false;
            b = queue.poll();
        }
        while (b != null) {
            group.add(b);
            if (group.size() >= MAX_GROUP) {
                return;
            }
            b = queue.poll();
        }
    }

    /** A batch nothing waits for: written in order, no stage to complete. */
    void submitUnwatched(RocksBatch b) {
        if (closing) {
            LOG.warn("Storage: a write after close was dropped");
            return;
        }
        b.result = null;
        enqueue(b);
    }

    // ---- opening ----

    private void openDatabase(boolean first) {
        boolean fresh = !Files.exists(dir.resolve("CURRENT"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageOpenException("cannot create the data directory " + dir + ": " + e
                    + ". Create it with write permission for this user, or set storage.dataDir.", e);
        }
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(2).setMaxTotalWalSize(64L << 20)
                .setDbWriteBufferSize(64L << 20).setMaxBackgroundJobs(2)
                // Reused log files are overwritten in place: their fdatasync need not update the inode,
                // which makes the fsync of a small write about a third quicker on ext4.
                .setRecycleLogFileNum(4);
        familyOptions = new ColumnFamilyOptions().setWriteBufferSize(16L << 20);
        List<String> names = new ArrayList<>();
        names.add("default");
        names.addAll(FAMILIES);
        if (!fresh) {
            try (Options o = new Options()) {
                for (byte[] existing : RocksDB.listColumnFamilies(o, dir.toString())) {
                    String n = new String(existing, java.nio.charset.StandardCharsets.UTF_8);
                    if (!names.contains(n)) {
                        names.add(n); // a newer format's: opened so the version check can say so
                    }
                }
            } catch (RocksDBException e) {
                throw openFailure(e);
            }
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String n : names) {
            descriptors.add(new ColumnFamilyDescriptor(Records.utf8(n), familyOptions));
        }
        handles.clear();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            throw openFailure(e);
        }
        meta = handles.get(0);
        sessions = handles.get(1);
        subscriptions = handles.get(2);
        deliveries = handles.get(3);
        messages = handles.get(4);
        pubrels = handles.get(5);
        retained = handles.get(6);
        if (first) {
            checkFormat(fresh);
        }
    }

    private void checkFormat(boolean fresh) {
        try {
            byte[] v = db.get(meta, FORMAT_KEY);
            if (v == null && fresh) {
                db.put(meta, lastWrite, FORMAT_KEY, ByteBuffer.allocate(4).putInt(FORMAT_VERSION).array());
                return;
            }
            if (v == null || v.length != 4) {
                closeDatabase();
                throw new StorageOpenException("the data directory " + dir + " holds a RocksDB store that"
                        + " Switchboard did not write (it has no format version). Point storage.dataDir at"
                        + " another directory, or move this one away to start empty.", null);
            }
            int version = ByteBuffer.wrap(v).getInt();
            if (version > FORMAT_VERSION) {
                closeDatabase();
                throw new StorageOpenException("the data directory " + dir + " was written by a newer Switchboard"
                        + " (storage format " + version + "; this version reads format " + FORMAT_VERSION
                        + "). Start the newer version, or move the directory away to start empty.", null);
            }
        } catch (RocksDBException e) {
            closeDatabase();
            throw openFailure(e);
        }
    }

    private StorageOpenException openFailure(RocksDBException e) {
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        String detail = e.getMessage();
        if (code == Status.Code.Corruption) {
            return new StorageOpenException("the data directory " + dir + " is corrupt (" + detail + "). Restore it"
                    + " from a backup, or move it away to start with an empty store.", e);
        }
        if (detail != null && detail.contains("lock")) {
            return new StorageOpenException("the data directory " + dir + " is in use by another process (" + detail
                    + "). Stop the other broker, or set storage.dataDir to another directory.", e);
        }
        return new StorageOpenException("cannot open the data directory " + dir + ": " + detail, e);
    }

    private void closeDatabase() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        handles.clear();
        if (db != null) {
            db.close();
            db = null;
        }
        if (familyOptions != null) {
            familyOptions.close();
        }
        if (dbOptions != null) {
            dbOptions.close();
        }
    }

    // ---- reading back ----

    private StoredState readAll() {
        StoreReader reader = new StoreReader(db, dir, lastWrite, meta, sessions, subscriptions, deliveries, messages,
                pubrels, retained);
        try {
            StoredState state = reader.read();
            ids.set(reader.maxId());
            readSummary = reader.summary(); // logged by recover(), after the line that says where the data is
            return state;
        } catch (RocksDBException e) {
            closeDatabase();
            throw openFailure(e);
        } catch (StorageOpenException e) {
            closeDatabase();
            throw e;
        }
    }

    // ---- the writer ----

    private void run() {
        long lastAlive = 0;
        boolean stop = false;
        while (!stop) {
            List<RocksBatch> group = new ArrayList<>();
            take(group, ALIVE_EVERY_MILLIS);
            if (group.remove(STOP)) {
                stop = true;
                for (RocksBatch late; (late = queue.poll()) != null; ) {
                    group.add(late); // committed just before close: written too
                }
                group.remove(STOP);
            }
            long now = clock.millis();
            boolean alive = stop || now - lastAlive >= ALIVE_EVERY_MILLIS;
            if (!group.isEmpty() || alive) {
                write(group, alive ? now : 0, stop);
                if (alive) {
                    lastAlive = now;
                }
            }
        }
        writerDone = true;
        if (syncer != null) {
            LockSupport.unpark(syncer);
            try {
                syncer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (dbLock) {
            closeDatabase();
        }
        noSync.close();
        lastWrite.close();
    }

    /** The syncer of {@code periodic}: fsyncs the log every {@code fsyncIntervalMillis} until the writer is done. */
    private void syncLoop() {
        while (!writerDone) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(fsyncIntervalMillis));
            syncLog();
        }
    }

    private void write(List<RocksBatch> group, long aliveAt, boolean last) {
        StorageException failure = null;
        try (WriteBatch wb = new WriteBatch()) {
            Set<RocksBatch.Op> cancelled = Groups.deliveriesDoneWithin(group);
            for (RocksBatch b : group) {
                for (RocksBatch.Op op : b.ops) {
                    if (cancelled == null || !cancelled.contains(op)) {
                        apply(wb, op);
                    } else if (op.kind() == RocksBatch.Kind.ADD_DELIVERY) {
                        ((QueuedMessage) op.value()).message().casPendingWrite(op, null);
                    }
                }
            }
            if (aliveAt != 0) {
                wb.put(meta, ALIVE_KEY, ByteBuffer.allocate(8).putLong(aliveAt).array());
            }
            // A group nobody waits for (the "alive" mark, ends of deliveries, session records) needs no
            // fsync of its own: the next write that is waited for syncs it too. The last write syncs.
            boolean sync = last || (syncAwaited && Groups.awaited(group));
            if (wb.count() == 0) {
                // Everything in it was cancelled out: nothing to write, and an fsync only for earlier writes.
                if (sync && unsynced) {
                    long started = System.nanoTime();
                    StorageException e = syncLog();
                    if (e != null) {
                        failure = e;
                    } else {
                        unsynced = false;
                        written(group, started);
                    }
                }
                Groups.complete(group, failure);
                return;
            }
            if (db == null || failures > 0) {
                reopenAfterFailure();
            }
            if (db == null) {
                throw new RocksDBException("the store could not be reopened after a failed write");
            }
            long started = System.nanoTime();
            db.write(sync ? lastWrite : noSync, wb);
            written(group, started);
            unsynced = !sync;
            if (failures > 0) {
                LOG.info("Storage: writing to {} works again after {} failed writes", dir, failures);
                failures = 0;
            }
        } catch (RocksDBException | RuntimeException e) {
            failure = failure(e);
        }
        Groups.complete(group, failure);
    }

    /**
     * Records a group written (with its fsync if it had one) since {@code startedNanos}: its time
     * and its number of batches. A write of nothing but the "alive" mark is not a group. Writer thread.
     */
    private void written(List<RocksBatch> group, long startedNanos) {
        if (!group.isEmpty()) {
            metrics.storageWriteNanos.record(System.nanoTime() - startedNanos);
            metrics.storageGroupBatches.record(group.size());
        }
    }

    private void apply(WriteBatch wb, RocksBatch.Op op) throws RocksDBException {
        String id = op.clientId();
        switch (op.kind()) {
            case PUT_SESSION -> wb.put(sessions, Records.utf8(id), Records.session((SessionRecord) op.value()));
            case DELETE_SESSION -> {
                wb.delete(sessions, Records.utf8(id));
                byte[] from = Records.sessionPrefix(id);
                byte[] to = Records.sessionPrefixEnd(id);
                wb.deleteRange(subscriptions, from, to);
                wb.deleteRange(deliveries, from, to);
                wb.deleteRange(pubrels, from, to);
            }
            case PUT_SUBSCRIPTION -> {
                SubscriptionRecord s = (SubscriptionRecord) op.value();
                wb.put(subscriptions, Records.subscriptionKey(id, s.filter()), Records.subscription(s));
            }
            case DELETE_SUBSCRIPTION -> wb.delete(subscriptions, Records.subscriptionKey(id, (String) op.value()));
            case ADD_DELIVERY -> {
                QueuedMessage q = (QueuedMessage) op.value();
                Message m = q.message();
                m.casPendingWrite(op, null);
                if (!op.take()) {
                    return; // done with before its turn came: never written, and neither is its removal
                }
                if (m.addStoredRefs(1) == 1) {
                    wb.put(messages, Records.messageKey(m.storageId()), Records.message(m)); // stored once
                }
                wb.put(deliveries, Records.deliveryKey(id, m.storageId(), q.sharedFilter()), Records.delivery(q, 0, false));
            }
            case UPDATE_DELIVERY -> {
                if (op.moot()) {
                    return;
                }
                QueuedMessage q = (QueuedMessage) op.value();
                wb.put(deliveries, Records.deliveryKey(id, q.message().storageId(), q.sharedFilter()),
                        Records.delivery(q, op.packetId(), op.released()));
            }
            case REMOVE_DELIVERY -> {
                QueuedMessage q = (QueuedMessage) op.value();
                Message m = q.message();
                wb.delete(deliveries, Records.deliveryKey(id, m.storageId(), q.sharedFilter()));
                if (m.addStoredRefs(-1) == 0) {
                    wb.delete(messages, Records.messageKey(m.storageId())); // its last stored delivery
                }
            }
            case ADD_PUBREL -> wb.put(pubrels, Records.pubrelKey(id, op.packetId()), new byte[0]);
            case REMOVE_PUBREL -> wb.delete(pubrels, Records.pubrelKey(id, op.packetId()));
            case PUT_RETAINED -> {
                Message m = (Message) op.value();
                wb.put(retained, Records.utf8(m.topic()), Records.message(m));
            }
            case DELETE_RETAINED -> wb.delete(retained, Records.utf8((String) op.value()));
        }
    }

    /** Fsyncs the write-ahead log; returns the failure, or null. */
    private StorageException syncLog() {
        synchronized (dbLock) {
            if (db == null) {
                return failure(new RocksDBException("the store is not open (a failed write is being recovered)"));
            }
            try {
                db.syncWal();
                return null;
            } catch (RocksDBException e) {
                return failure(e);
            }
        }
    }

    private synchronized StorageException failure(Exception e) {
        String status = e instanceof RocksDBException r && r.getStatus() != null
                ? r.getStatus().getCodeString() + (r.getStatus().getState() == null ? "" : ": " + r.getStatus().getState())
                : String.valueOf(e.getMessage());
        boolean full = status.toLowerCase().contains("no space") || (e instanceof RocksDBException r
                && r.getStatus() != null && r.getStatus().getSubCode() == Status.SubCode.NoSpace);
        failures++;
        long now = clock.millis();
        if (failures == 1 || now - lastFailureLog >= 10_000) {
            lastFailureLog = now;
            LOG.error("Storage: cannot write to {}: {}; QoS 1/2 messages, subscriptions and sessions that need storing"
                    + " are refused ({}) until writing works again ({} failed writes so far)", dir, status,
                    full ? "0x97 Quota exceeded" : "0x80 with this reason", failures);
        }
        return new StorageException(full ? "the disk is full" : "storage write failed: " + status, full, e);
    }

    /** RocksDB refuses writes after a failed one until reopened: reopen, at most once a second. */
    private void reopenAfterFailure() {
        long now = clock.millis();
        if (now - lastReopen < 1000) {
            return;
        }
        lastReopen = now;
        synchronized (dbLock) {
            closeDatabase();
            try {
                openDatabase(false);
            } catch (StorageOpenException e) {
                closeDatabase();
                LOG.debug("Storage: reopening {} failed: {}", dir, e.getMessage());
            }
        }
    }

    /** Writes and syncs what was committed, records when the broker stopped, and closes the store. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        enqueue(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
