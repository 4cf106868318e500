package io.switchboard.broker.delivery;

/** Finds the subscriber behind a client id. Implemented by the session layer; any thread. */
@FunctionalInterface
public interface Subscribers {

    /** The session of a client id, or null when there is none. */
    Subscriber find(String clientId);
}
