package io.switchboard.broker.session;

import io.switchboard.broker.BrokerContext;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions by client id. Attaching goes through the session's own event loop, so two connections
 * with one client id are served one after the other and the later one takes the session over.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final BrokerContext broker;

    public SessionRegistry(BrokerContext broker) {
        this.broker = broker;
    }

    /** Finds or creates the session and attaches the connection to it; any thread. */
    public void attach(AttachRequest request) {
        Session session = sessions.computeIfAbsent(request.clientId(),
                id -> new Session(id, request.endpoint().eventLoop(), broker));
        session.execute(() -> session.attach(request));
    }

    /** Removes a session that ended, unless another one has replaced it already. */
    void remove(Session session) {
        sessions.remove(session.clientId(), session);
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }
}
