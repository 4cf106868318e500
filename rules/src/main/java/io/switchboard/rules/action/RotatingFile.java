package io.switchboard.rules.action;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The file a {@code file} action appends to, rotated by size: {@code out.jsonl} is renamed {@code out.jsonl.1}
 * ({@code .1} to {@code .2} and so on, up to {@code keep}; the oldest is deleted) and a new {@code out.jsonl}
 * opened. Only a regular file is rotated: a device or a pipe ({@code /dev/stdout}) is written as it is.
 *
 * <p>Used by the action's writer thread only.
 */
final class RotatingFile {
    private final Path path;
    private final long maxBytes;
    private final int keep;

    private FileChannel channel;
    /** What identifies the open file (its inode), to notice when the path no longer names it. */
    private Object fileKey;
    private boolean regular;
    private long size;

    RotatingFile(Path path, long maxBytes, int keep) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    Path path() {
        return path;
    }

    /** Opens the file, creating it if missing; appends to what it holds. */
    void open() throws IOException {
        FileChannel c = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            regular = a.isRegularFile();
            fileKey = a.fileKey();
            size = regular ? c.size() : 0;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        channel = c;
    }

    /**
     * Makes sure the path still names the file open: one deleted, moved away or replaced since (by hand, by
     * logrotate) would take the lines where nobody reads them, so the path is opened again. Opens a file that a
     * failure closed.
     */
    void ensureOpen() throws IOException {
        if (channel != null) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                a = null;
            }
            if (a != null && (fileKey == null || Objects.equals(fileKey, a.fileKey()))) {
                return; // a file system without file keys: the path is trusted
            }
            drop();
        }
        open();
    }

    /**
     * Whether {@code bytes} more go in this file after {@code buffered} bytes not yet written, or it must be rotated
     * first. An empty file takes anything: a line larger than the limit is written alone.
     */
    boolean fits(long buffered, long bytes) {
        long used = size + buffered;
        return !regular || used == 0 || used + bytes <= maxBytes;
    }

    /** Writes all of {@code buffer}. */
    void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
    }

    /** Closes the file (synced), shifts the rotated ones and opens a new, empty one. */
    void rotate() throws IOException {
        close();
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(i);
            if (Files.exists(from)) {
                Files.move(from, rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(path, rotated(1), StandardCopyOption.ATOMIC_MOVE);
        open();
    }

    /** {@code out.jsonl.N}. */
    Path rotated(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    /** Syncs and closes the file, if open. */
    void close() throws IOException {
        FileChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                if (regular) {
                    c.force(false);
                }
            } finally {
                c.close();
            }
        }
    }

    /** Closes the file after a failure, without syncing; the next batch opens it again. */
    void drop() {
        FileChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // it failed already: the next batch opens the path again
            }
        }
    }

    /**
     * An I/O failure in words: "No space left on device", "permission denied", "Is a directory". The JDK's
     * exceptions for files carry the path as their message and the reason apart, if at all.
     */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name exists";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
