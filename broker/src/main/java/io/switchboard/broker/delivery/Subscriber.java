package io.switchboard.broker.delivery;

import io.switchboard.broker.message.QueuedMessage;

/** What the router needs of a subscribing session. Implemented by the session layer; any thread. */
public interface Subscriber {

    /** Hands a message to the subscriber's event loop, after what was handed to it before. */
    void deliver(QueuedMessage message);

    /**
     * Whether its QoS 1/2 deliveries are stored (durable storage, and a session that outlives its
     * connection): the publisher's batch then records each delivery before it is acknowledged.
     */
    boolean persistent();

    /** Whether a connection is attached now (a hint for choosing a shared group member). */
    boolean online();

    /** QoS 1/2 messages sent and not yet acknowledged (a hint for choosing a shared group member). */
    int unacknowledged();

    /**
     * Whether this subscriber is not keeping up (its connection does not take what is written to
     * it, or its event loop lags behind what is handed to it) and is not yet declared slow. A
     * publisher that reaches a congested subscriber waits ({@link #awaitUncongested}) before it
     * reads more, so that subscribers that keep reading lose nothing.
     */
    boolean congested();

    /**
     * Runs {@code wakeUp} (on no particular thread) once this subscriber is no longer congested or
     * has been declared slow, or at once when it is neither now.
     */
    void awaitUncongested(Runnable wakeUp);
}
