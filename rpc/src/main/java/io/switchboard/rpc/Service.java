package io.switchboard.rpc;

/** A handler serving a topic filter; {@link #close()} unsubscribes and stops its workers. */
public interface Service extends AutoCloseable {
    /** The filter as subscribed ({@code $share/<group>/<filter>} for a pool). */
    String subscription();

    /** Unsubscribes; requests already running still get their reply. */
    @Override
    void close();
}
