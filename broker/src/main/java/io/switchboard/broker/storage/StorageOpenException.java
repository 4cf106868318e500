package io.switchboard.broker.storage;

/**
 * The storage cannot be opened: the data directory is corrupt, in use, written by a newer version,
 * or not writable. The message says which, and what to do; the broker does not start.
 */
public final class StorageOpenException extends RuntimeException {
    public StorageOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
