package io.switchboard.broker.storage;

/**
 * A write that the storage could not make durable. Nothing it recorded may be acknowledged;
 * {@link #quotaExceeded()} says the disk is full, which MQTT answers with 0x97 (Quota exceeded).
 */
public final class StorageException extends RuntimeException {
    private final boolean quotaExceeded;

    public StorageException(String message, boolean quotaExceeded, Throwable cause) {
        super(message, cause);
        this.quotaExceeded = quotaExceeded;
    }

    /** The storage failure behind what a stage failed with (wrapped if it was something else). */
    public static StorageException of(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof StorageException e ? e : new StorageException(String.valueOf(t), false, t);
    }

    public boolean quotaExceeded() {
        return quotaExceeded;
    }
}
