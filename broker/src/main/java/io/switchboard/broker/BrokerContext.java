package io.switchboard.broker;

import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.protocol.ClientIdGenerator;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.session.SessionRegistry;
import io.switchboard.broker.storage.Storage;
import java.time.Clock;

/** The services every connection and session shares. All of them are safe to use from any event loop. */
public final class BrokerContext {
    private final BrokerConfig config;
    private final Storage storage;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final SessionRegistry sessions;
    private final Router router;
    private final Clock clock;
    private final ClientIdGenerator clientIds = new ClientIdGenerator();

    public BrokerContext(BrokerConfig config, Storage storage, Clock clock) {
        this.config = config;
        this.storage = storage;
        this.clock = clock;
        this.sessions = new SessionRegistry(this);
        this.router = new Router(this);
    }

    public BrokerConfig config() {
        return config;
    }

    public Storage storage() {
        return storage;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public SubscriptionTree subscriptions() {
        return subscriptions;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public Router router() {
        return router;
    }

    public ClientIdGenerator clientIds() {
        return clientIds;
    }

    public Clock clock() {
        return clock;
    }
}
