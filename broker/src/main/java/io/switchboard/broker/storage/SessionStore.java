package io.switchboard.broker.storage;

import java.util.Collection;

/**
 * Persistent sessions. Each session's record and queue are only touched from that session's event
 * loop, so implementations need no locking per session.
 */
public interface SessionStore {

    /** Saves (creates or replaces) a session's record. */
    void save(SessionRecord record);

    /** Deletes a session's record and its queue. */
    void delete(String clientId);

    /** All stored sessions, read once at start-up. */
    Collection<SessionRecord> loadAll();

    /** The outbound queue of a session, created empty if it has none. */
    MessageQueue queue(String clientId);
}
