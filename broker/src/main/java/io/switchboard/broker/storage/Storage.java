package io.switchboard.broker.storage;

/**
 * Where the broker keeps state that outlives a connection: sessions with their subscriptions and
 * queues, and retained messages. The memory implementation is the reference; a durable one
 * implements the same interfaces and slots in without touching the protocol code.
 */
public interface Storage extends AutoCloseable {

    RetainedStore retained();

    SessionStore sessions();

    /** One line for the start-up log, e.g. "in memory". */
    String describe();

    @Override
    void close();
}
