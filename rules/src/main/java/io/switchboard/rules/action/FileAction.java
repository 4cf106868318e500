package io.switchboard.rules.action;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code file} action: appends each output to a file as one JSON line, rotating the file by size (docs/rules.md,
 * "Actions: file").
 *
 * <p><b>Threads.</b> {@link #run} may be called from any thread and never blocks: it adds the output to a bounded
 * lock-free queue (full: it fails at once) and wakes the writer if it sleeps. One daemon thread,
 * {@code sb-rule-file-N}, takes everything waiting (up to {@value #BATCH} outputs), writes it with as few writes as
 * its buffer allows and completes each output's stage once its bytes are written to the operating system.
 *
 * <p><b>Durability.</b> A completed stage means the line is in the operating system's cache, not on disk: there is
 * no fsync per output (it would cost a disk flush each). The file is fsynced before it is rotated and when the
 * action is closed; a crash of the machine (not of the broker) may lose the lines written since.
 *
 * <p><b>Failures.</b> A write that fails (disk full, the directory gone, the path replaced by a directory) fails the
 * outputs of that batch not yet written, with the error ("cannot write to '/var/log/out.jsonl': No space left on
 * device"); the writer opens the path again for the next batch. A path deleted or replaced since it was opened is
 * opened again (a new file) before the next batch, so lines do not go to a file nobody can read.
 */
public final class FileAction implements Action {
    static final String STOPPED = "the rule was stopped";
    /** Outputs written in one batch at most. */
    static final int BATCH = 1024;
    /** The writer's buffer: a batch is written in writes of this size, a larger output in one write of its own. */
    private static final int BUFFER = 256 << 10;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final RotatingFile file;
    private final int queueSize;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    /** Outputs queued, not yet taken by the writer. At most {@code queueSize}. */
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread writer;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    /** Outputs in {@link #buffer}, completed when it is written. */
    private final List<Entry> buffered = new ArrayList<>();

    private volatile boolean closed;
    /** Set by the writer when it has ended: what is queued after that is failed by whoever sees it. */
    private volatile boolean finished;
    /** Whether the writer is parked, or about to: a {@link #run} wakes it. */
    private volatile boolean parked;

    /**
     * Creates the file's directory if missing, opens the file (appending to what it holds) and starts the writer.
     *
     * @throws IllegalArgumentException when the directory cannot be created or the file opened, naming the path
     *     and why
     */
    public FileAction(FileActionConfig config) {
        Path path = Path.of(config.path()).toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            throw Check.badValue("file.path", config.path(), "a file to append to; it is a directory");
        }
        Path dir = path.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw Check.badValue("file.path", config.path(), "cannot create its directory " + dir + ": "
                    + RotatingFile.describe(e));
        }
        this.file = new RotatingFile(path, config.maxBytes(), config.keep());
        try {
            file.open();
        } catch (IOException e) {
            throw Check.badValue("file.path", config.path(), "cannot open it to append: " + RotatingFile.describe(e));
        }
        this.queueSize = config.queueSize();
        this.writer = ActionThreads.file().newThread(this::writeLoop);
        writer.start();
    }

    @Override
    public String kind() {
        return "file";
    }

    /** Queues the output for the writer; never blocks. Fails at once when the queue is full or the action closed. */
    @Override
    public CompletionStage<Void> run(ActionInput input) {
        if (closed) {
            return CompletableFuture.failedFuture(new ActionFailure(STOPPED));
        }
        if (input.output() == null) {
            return CompletableFuture.failedFuture(new ActionFailure("the output is missing"));
        }
        if (!admit()) {
            return CompletableFuture.failedFuture(new ActionFailure("queue full (" + queueSize
                    + " waiting): the file is written slower than the messages come"));
        }
        Entry e = new Entry(input.output());
        queue.offer(e);
        if (finished) {
            failQueued(); // the writer ended before it could see this one
        } else if (parked) {
            LockSupport.unpark(writer);
        }
        return e.result;
    }

    /**
     * Writes what is queued, fsyncs and closes the file; idempotent. Waits for the writer (at most
     * {@value #CLOSE_WAIT_SECONDS} s: past that it goes on in the background, a daemon). Outputs that come
     * after it started fail ({@value #STOPPED}).
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        if (Thread.currentThread() != writer) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean admit() {
        while (true) {
            int n = queued.get();
            if (n >= queueSize) {
                return false;
            }
            if (queued.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** The writer: batches until closed and the queue is empty; then fsync, close, and fail latecomers. */
    private void writeLoop() {
        List<Entry> batch = new ArrayList<>();
        while (true) {
            Entry e;
            while (batch.size() < BATCH && (e = queue.poll()) != null) {
                queued.decrementAndGet();
                batch.add(e);
            }
            if (!batch.isEmpty()) {
                try {
                    writeBatch(batch);
                } catch (RuntimeException ex) {
                    // the writer must outlive anything: a stage left pending would never complete
                    file.drop();
                    failFrom(batch, 0, "cannot write to '" + file.path() + "': " + ex);
                }
                batch.clear();
                continue;
            }
            if (closed) {
                // what was queued before close() set the flag is in the queue now: one more look
                if (queue.isEmpty()) {
                    break;
                }
                continue;
            }
            // a run() that queues after this flag is set sees it and unparks; one before it is seen by isEmpty
            parked = true;
            if (queue.isEmpty() && !closed) {
                LockSupport.park(this);
            }
            parked = false;
        }
        try {
            file.close();
        } catch (IOException ex) {
            // every line was written to the operating system; only the final sync failed, and no stage is left
        }
        finished = true;
        failQueued();
    }

    /** Writes one batch: opens the file if needed, rotates where a line would not fit, completes each output. */
    private void writeBatch(List<Entry> batch) {
        int next = 0;
        try {
            file.ensureOpen();
        } catch (IOException ex) {
            failFrom(batch, 0, "cannot open '" + file.path() + "': " + RotatingFile.describe(ex));
            return;
        }
        String doing = "write to";
        try {
            for (; next < batch.size(); next++) {
                Entry e = batch.get(next);
                byte[] line;
                try {
                    line = JsonLines.line(e.output);
                } catch (ActionFailure f) {
                    e.result.completeExceptionally(f);
                    continue;
                }
                long n = line.length + 1L;
                // the buffer holds lines of this file not written yet
                if (!file.fits(buffer.position(), n)) {
                    flush();
                    doing = "rotate";
                    file.rotate();
                    doing = "write to";
                }
                if (n > buffer.remaining()) {
                    flush();
                    if (n > buffer.capacity()) {
                        file.write(ByteBuffer.wrap(line));
                        file.write(ByteBuffer.wrap(new byte[] {'\n'}));
                        e.result.complete(null);
                        continue;
                    }
                }
                buffer.put(line).put((byte) '\n');
                buffered.add(e);
            }
            flush();
        } catch (IOException ex) {
            file.drop();
            String message = "cannot " + doing + " '" + file.path() + "': " + RotatingFile.describe(ex);
            failBuffered(message);
            failFrom(batch, next, message);
        } catch (RuntimeException ex) {
            file.drop();
            String message = "cannot write to '" + file.path() + "': " + ex;
            failBuffered(message);
            failFrom(batch, next, message);
        }
    }

    /** Writes the buffer and completes the outputs in it. */
    private void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        file.write(buffer);
        buffer.clear();
        for (Entry e : buffered) {
            e.result.complete(null);
        }
        buffered.clear();
    }

    private void failBuffered(String message) {
        buffer.clear();
        for (Entry e : buffered) {
            e.result.completeExceptionally(new ActionFailure(message));
        }
        buffered.clear();
    }

    private static void failFrom(List<Entry> batch, int from, String message) {
        ActionFailure failure = new ActionFailure(message);
        for (int i = from; i < batch.size(); i++) {
            batch.get(i).result.completeExceptionally(failure);
        }
    }

    private void failQueued() {
        Entry e;
        while ((e = queue.poll()) != null) {
            queued.decrementAndGet();
            e.result.completeExceptionally(new ActionFailure(STOPPED));
        }
    }

    /** One output waiting for the writer. */
    private static final class Entry {
        final byte[] output;
        final CompletableFuture<Void> result = new CompletableFuture<>();

        Entry(byte[] output) {
            this.output = output;
        }
    }
}
