package io.switchboard.broker.storage;

import io.switchboard.broker.message.QueuedMessage;

import java.util.Collection;

/**
 * The outbound messages of one session: those waiting to be sent, in order, and those in flight,
 * by packet id, in the order they were sent. Touched only from the session's event loop.
 */
public interface MessageQueue {

    /** Appends a message to be sent. Bounds are the caller's business. */
    void append(QueuedMessage message);

    /** Removes and returns the oldest message waiting to be sent, or null. */
    QueuedMessage poll();

    int waitingCount();

    /** Sum of {@link io.switchboard.broker.message.Message#weight()} over waiting messages. */
    long waitingBytes();

    /** Records (or replaces) a message in flight. */
    void putInflight(InflightMessage message);

    InflightMessage inflight(int packetId);

    /** Removes a message from flight; returns it, or null if none had that id. */
    InflightMessage removeInflight(int packetId);

    /** Messages in flight, oldest first. */
    Collection<InflightMessage> inflight();

    int inflightCount();

    /** Drops everything. */
    void clear();
}
