package io.switchboard.broker.session;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.delivery.RequestHelp;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.delivery.Subscriber;
import io.switchboard.broker.delivery.Subscribers;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
import io.netty.channel.EventLoopGroup;
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

    public SessionRegistry(SessionConfig config, Storage storage, SubscriptionTree subscriptions, Router router,
            Authorizer authorizer, DenialAudit audit, BrokerMetrics metrics, Clock clock, RequestHelp help) {
        this.services = new SessionServices(this, config, storage, subscriptions, router, authorizer, audit, metrics,
                clock,
                new WillPublisher(router, authorizer, metrics, clock), help);
    }

    /**
     * Rebuilds the stored sessions at start-up, before any listener opens, spread over the event
     * loops. Sessions that expired while the broker was down (counted from when each went offline,
     * or from the last time the previous run was alive) are deleted, their Wills published.
     * Returns how many sessions were restored.
     */
    public int restore(StoredState state, EventLoopGroup loops) {
        long now = services.clock().millis();
        int restored = 0;
        StorageBatch expired = services.storage().batch();
        java.util.List<Session> all = new java.util.ArrayList<>(state.sessions().size());
        for (StoredState.StoredSession stored : state.sessions()) {
            String id = stored.record().clientId();
            long offlineSince = stored.record().disconnectedAtMillis() != 0 ? stored.record().disconnectedAtMillis()
                    : state.lastAliveMillis() != 0 ? state.lastAliveMillis() : now;
            Session session = new Session(id, loops.next(), services);
            sessions.put(id, session);
            all.add(session);
            if (session.restore(stored, offlineSince, now)) {
                restored++;
            } else {
                sessions.remove(id, session);
                for (StoredState.StoredDelivery d : stored.deliveries()) {
                    expired.removeDelivery(id, d.message());
                }
                expired.deleteSession(id);
            }
        }
        expired.submit();
        // Wills due now go once every subscription is back, to every session that should get them.
        all.forEach(Session::publishRestoredWill);
        return restored;
    }

    /** Finds or creates the session and attaches the connection to it; any thread. */
    public void attach(AttachRequest request) {
        Session session = sessions.computeIfAbsent(request.clientId(),
                id -> new Session(id, request.endpoint().eventLoop(), services));
        session.execute(() -> session.attach(request));
    }

    /**
     * Drops the expired messages waiting in offline sessions' queues (online sessions drop them as
     * they send); each session does it on its own loop. Any thread.
     */
    public void dropExpiredQueued() {
        for (Session s : sessions.values()) {
            if (!s.online()) {
                s.execute(s::dropExpiredQueued);
            }
        }
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
