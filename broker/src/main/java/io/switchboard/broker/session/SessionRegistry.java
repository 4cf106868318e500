package io.switchboard.broker.session;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.delivery.Subscriber;
import io.switchboard.broker.delivery.Subscribers;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.storage.SessionStore;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions by client id. Attaching goes through the session's own event loop, so two connections
 * with one client id are served one after the other and the later one takes the session over.
 */
public final class SessionRegistry implements Subscribers {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SessionServices services;

    public SessionRegistry(SessionConfig config, SessionStore store, SubscriptionTree subscriptions, Router router,
            Authorizer authorizer, BrokerMetrics metrics, Clock clock) {
        this.services = new SessionServices(this, config, store, subscriptions, router, authorizer, metrics, clock,
                new WillPublisher(router, authorizer, metrics, clock));
    }

    /** Finds or creates the session and attaches the connection to it; any thread. */
    public void attach(AttachRequest request) {
        Session session = sessions.computeIfAbsent(request.clientId(),
                id -> new Session(id, request.endpoint().eventLoop(), services));
        session.execute(() -> session.attach(request));
    }

    /** Removes a session that ended, unless another one has replaced it already. */
    void remove(Session session) {
        sessions.remove(session.clientId(), session);
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    @Override
    public Subscriber find(String clientId) {
        return sessions.get(clientId);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }
}
