package io.switchboard.broker;

import io.switchboard.broker.auth.AccessControl;
import io.switchboard.broker.auth.AccessControlProvider;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.BrokerAccess;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.auth.IssuedCredentials;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.SecurityConfig;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.protocol.PublishTap;
import io.switchboard.broker.delivery.RequestHelp;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.delivery.SharedSubscriptionStrategy;
import io.switchboard.broker.delivery.Subscriber;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.protocol.ClientEvents;
import io.switchboard.broker.protocol.MqttProtocol;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.session.SessionRegistry;
import io.switchboard.broker.config.StorageConfig;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.storage.RetainedIndex;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.memory.MemoryStorage;
import io.switchboard.broker.storage.rocksdb.RocksStorage;
import io.switchboard.broker.sys.ClientEventPublisher;
import io.switchboard.broker.sys.SysPublisher;
import io.switchboard.broker.transport.MqttServer;
import io.switchboard.broker.transport.TlsReload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard broker: the one place where the parts are built and wired, each given
 * what it needs through its constructor. Start with {@link #start(BrokerConfig)} or
 * {@link #builder(BrokerConfig)}; {@link #close()} stops it.
 */
public final class Broker implements AutoCloseable, BrokerAccess {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final Storage storage;
    private final BrokerMetrics metrics;
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedIndex retained = new RetainedIndex();
    private final Clock clock;
    /** Recovery at start, and the removal of expired messages in the background. */
    private final Housekeeping housekeeping;
    private final Router router;
    private final SessionRegistry sessions;
    private final MqttServer server;
    private final SysPublisher sys;
    /** The policy in force, when one was configured or given; null otherwise. */
    private final AccessControl accessControl;
    /** Credentials the broker issues itself (the console's browser client). */
    private final IssuedCredentials issued;
    /** The authenticator in force: the configured one, letting issued credentials in too. */
    private final Authenticator authenticator;
    private final Instant startedAt;
    /** What other modules brought (the rules engine, the HTTP listener), in the order they started. */
    private final Extensions extensions = new Extensions();
    /** Where messages clients publish are shown to an extension (the rules engine). */
    private final PublishTap.Holder tap = new PublishTap.Holder();
    private volatile boolean closed;

    private Broker(Builder b, BrokerMetrics metrics) {
        this.config = b.config;
        this.storage = b.storage;
        this.metrics = metrics;
        this.clock = b.clock;
        this.accessControl = b.accessControl;
        this.startedAt = clock.instant();
        this.issued = new IssuedCredentials(clock);
        this.authenticator = issued.guarding(b.authenticator);
        DenialAudit audit = new DenialAudit(b.authorizer, metrics, clock, config.security().auditLinesPerMinute());
        this.router = new Router(subscriptions, retained, this::subscriber,
                SharedSubscriptionStrategy.fromConfigName(config.mqtt().sharedSubscriptionStrategy()), storage,
                metrics);
        RequestHelp help = new RequestHelp(config.rpc(), router, metrics, clock);
        this.sessions = new SessionRegistry(config.sessions(), storage, subscriptions, router, b.authorizer,
                audit, metrics, clock, help);
        ClientEvents events = config.sys().events() ? new ClientEventPublisher(router) : ClientEvents.NONE;
        MqttProtocol protocol = new MqttProtocol(config, metrics, clock, sessions, router, retained, storage,
                authenticator, b.authorizer, audit, events, help, tap);
        this.server = new MqttServer(config, protocol, metrics, clock);
        this.sys = new SysPublisher(config.sys().interval(), metrics, sessions, subscriptions, retained,
                router, clock, version());
        this.housekeeping = new Housekeeping(storage, retained, sessions, clock);
    }

    /** The broker's version, from its jar's manifest ("dev" when run from classes). */
    public static String version() {
        String v = Broker.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private Subscriber subscriber(String clientId) {
        return sessions.find(clientId);
    }

    /**
     * Starts a broker with the configured storage, no authentication and no authorization, and binds
     * its listeners.
     */
    public static Broker start(BrokerConfig config) {
        return builder(config).start();
    }

    public static Broker start(BrokerConfig config, Storage storage) {
        return builder(config).storage(storage).start();
    }

    public static Builder builder(BrokerConfig config) {
        return new Builder(config);
    }

    /** The port of a listener by name (the first listener is named "default" unless configured). */
    public int port(String listener) {
        return server.port(listener);
    }

    /**
     * Reads the files of every {@code tls} and {@code wss} listener now and reloads those whose
     * content changed (what the periodic check of {@code tls.reloadCheckSeconds} does when it sees a
     * change): new handshakes use the new certificate, key, CAs and CRLs; open connections stay up,
     * except those whose client certificate a new CRL revokes ({@code tls.closeRevoked}). Files that
     * cannot be used leave those in force and are logged as one ERROR line. Completes with what
     * happened on each TLS listener; any thread, nothing blocks the caller.
     */
    public CompletableFuture<List<TlsReload>> reloadTls() {
        return server.reloadTls();
    }

    /** The port of the first listener. */
    public int port() {
        return server.port(config.listeners().get(0).name());
    }

    public BrokerConfig config() {
        return config;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public SubscriptionTree subscriptions() {
        return subscriptions;
    }

    public RetainedIndex retained() {
        return retained;
    }

    /** Where state is kept. */
    public Storage storage() {
        return storage;
    }

    public Router router() {
        return router;
    }

    /** Its clock: wall-clock time of expiries, events and the admin API's sessions. */
    public Clock clock() {
        return clock;
    }

    /** When it started (its clock). */
    public Instant startedAt() {
        return startedAt;
    }

    /** The authenticator in force (the configured one, letting the broker's issued credentials in too). */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** What keeps the broker from serving: listeners not bound, storage not open. */
    public record Readiness(List<String> problems) {
        public Readiness {
            problems = List.copyOf(problems);
        }

        public boolean ready() {
            return problems.isEmpty();
        }
    }

    /** Ready when every MQTT listener is bound and the storage is open (the readiness check). Any thread. */
    public Readiness readiness() {
        List<String> problems = new ArrayList<>();
        if (closed) {
            problems.add("the broker is stopping");
        }
        for (String l : server.listenersDown()) {
            problems.add("listener '" + l + "' is not accepting connections");
        }
        if (!storage.isOpen()) {
            problems.add("the storage is not open");
        }
        return new Readiness(problems);
    }

    /**
     * Issues a short-lived MQTT credential under {@code authenticationName} (a new client id starting
     * with {@code clientIdPrefix}), with that name's rights: the web console's browser client.
     *
     * @throws IllegalArgumentException when the authenticator in force does not let that name in
     */
    public IssuedCredentials.Credential issueCredential(String authenticationName, String clientIdPrefix,
            Duration ttl) {
        if (authenticator.identityOf(authenticationName).isEmpty()) {
            throw new IllegalArgumentException("'" + authenticationName + "' is not a client the security policy"
                    + " lets in: register it (docs/security.md) to give it MQTT rights");
        }
        return issued.issue(authenticationName, clientIdPrefix, ttl);
    }

    /**
     * Publishes a message as the broker (the admin API): routed as a client's PUBLISH would be, no
     * authorization. Completes with the number of deliveries once what it stored (a retained
     * message, stored deliveries) is durable as the storage promises.
     */
    public CompletableFuture<Integer> publish(Message m) {
        StorageBatch batch = storage.batch();
        int n = router.publish(m, null, batch, Runnable::run);
        return batch.commit(Runnable::run).toCompletableFuture().thenApply(v -> n);
    }

    /** Deletes the retained message of {@code topic}; false when there was none. Durable when complete. */
    public CompletableFuture<Boolean> deleteRetained(String topic) {
        if (retained.get(topic) == null) {
            return CompletableFuture.completedFuture(false);
        }
        retained.remove(topic);
        StorageBatch batch = storage.batch();
        if (storage.durable()) {
            batch.deleteRetained(topic);
        }
        return batch.commit(Runnable::run).toCompletableFuture().thenApply(v -> true);
    }

    /** The HTTP listener's port; fails when there is none. */
    public int httpPort() {
        return extension(HttpListener.class).orElseThrow(() -> new IllegalStateException(
                "no HTTP listener: the configuration's http section is absent or off")).port();
    }

    /** A started extension of this type (the rules engine, the HTTP listener), if any. */
    public <T> Optional<T> extension(Class<T> type) {
        return extensions.find(type);
    }

    /**
     * Shows every message clients publish, once accepted and routed, to {@code t} (the rules engine),
     * on the publisher's event loop; null stops it. One tap at a time.
     */
    public void tapPublishes(PublishTap t) {
        tap.set(t);
    }

    /** The $SYS statistics publisher (its {@code snapshot()} is what it publishes). */
    public SysPublisher sys() {
        return sys;
    }

    /**
     * Loads the security policy again (SIGHUP, the admin API): a valid one is put in force and
     * connected clients are decided again; an invalid one leaves the one in force, and the result
     * says what is wrong. Without a policy there is nothing to reload.
     */
    public AccessControl.ReloadResult reloadSecurity() {
        if (accessControl == null) {
            return new AccessControl.ReloadResult(false, "no security policy is configured (security.policy)");
        }
        return accessControl.reload();
    }

    @Override
    public io.switchboard.broker.auth.ClientIdentity identity(String clientId) {
        Session s = sessions.get(clientId);
        return s == null || !s.online() ? null : s.identity();
    }

    @Override
    public CompletableFuture<Reauthorization> reauthorize() {
        List<CompletableFuture<Session.Reauthorized>> all = new ArrayList<>();
        for (Session s : sessions.all()) {
            all.add(s.reauthorize());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            int checked = 0;
            int disconnected = 0;
            for (CompletableFuture<Session.Reauthorized> f : all) {
                Session.Reauthorized r = f.isCompletedExceptionally() ? Session.Reauthorized.OFFLINE : f.join();
                checked += r == Session.Reauthorized.OFFLINE ? 0 : 1;
                disconnected += r == Session.Reauthorized.DISCONNECTED ? 1 : 0;
            }
            return new Reauthorization(checked, disconnected);
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true; // readiness says so from now on
        tap.set(null);
        LOG.info("Stopping: disconnecting clients");
        if (accessControl != null) {
            accessControl.close();
        }
        sys.close();
        housekeeping.close();
        server.stop(); // clients first: their DISCONNECT 0x8B waits for nothing else
        // Then what other modules brought, in reverse order: the HTTP listener answered "not ready" meanwhile.
        extensions.closeAll();
        sessions.all().forEach(s -> s.close());
        storage.close(); // after the event loops: what they committed is written first
        LOG.info("Stopped");
    }

    /** What a broker is built from; every part but the configuration has a default. */
    public static final class Builder {
        private final BrokerConfig config;
        private Storage storage;
        private Authenticator authenticator = Authenticator.ALLOW_ALL;
        private Authorizer authorizer = Authorizer.ALLOW_ALL;
        private AccessControl accessControl;
        private Clock clock = Clock.systemUTC();

        private Builder(BrokerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where sessions and retained messages are kept; default as {@code config.storage()} says. */
        public Builder storage(Storage s) {
            this.storage = s;
            return this;
        }

        /** Who may connect; default everyone. */
        public Builder authenticator(Authenticator a) {
            this.authenticator = Objects.requireNonNull(a, "authenticator");
            return this;
        }

        /** What clients may do; default everything. */
        public Builder authorizer(Authorizer a) {
            this.authorizer = Objects.requireNonNull(a, "authorizer");
            return this;
        }

        /**
         * Authentication and authorization together, reloadable (a policy); replaces both and the
         * configuration's {@code security.policy}.
         */
        public Builder accessControl(AccessControl a) {
            this.accessControl = Objects.requireNonNull(a, "accessControl");
            this.authenticator = a.authenticator();
            this.authorizer = a.authorizer();
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Builds the broker and binds its listeners. */
        public Broker start() {
            SecurityConfig security = config.security();
            if (accessControl == null && security.policy() != null) {
                if (authenticator != Authenticator.ALLOW_ALL || authorizer != Authorizer.ALLOW_ALL) {
                    throw new ConfigException("security.policy is configured, and an authenticator or authorizer was"
                            + " given to the builder too: use one or the other");
                }
                accessControl(loadAccessControl(security, clock));
            }
            Broker broker = null;
            BrokerMetrics metrics = new BrokerMetrics(); // before the storage, which records its writes there
            try {
                if (storage == null) {
                    storage = open(config.storage(), clock, metrics);
                }
                LOG.info("Storage: {}", storage.describe());
                broker = new Broker(this, metrics);
                broker.housekeeping.recover(broker.server.eventLoops());
                broker.server.start();
            } catch (RuntimeException e) {
                if (broker != null) {
                    broker.server.stop();
                }
                if (storage != null) {
                    storage.close();
                }
                if (accessControl != null) {
                    accessControl.close(); // its threads: the broker that would have used it is not there
                }
                throw e;
            }
            broker.housekeeping.startCleanup(config.storage().cleanupIntervalSeconds());
            broker.sys.start();
            if (broker.accessControl != null) {
                broker.accessControl.started(broker);
            }
            try {
                broker.extensions.startAll(broker, broker.tap);
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        }

        /** The access control of {@code security.policy}, from the provider on the class path. */
        private static AccessControl loadAccessControl(SecurityConfig security, Clock clock) {
            for (AccessControlProvider p : ServiceLoader.load(AccessControlProvider.class)) {
                return p.create(security, clock);
            }
            throw new ConfigException("security.policy '" + security.policy() + "' needs the switchboard-security"
                    + " module on the class path (the switchboard command line has it)");
        }

        private static Storage open(StorageConfig c, Clock clock, BrokerMetrics metrics) {
            return "memory".equals(c.type()) ? new MemoryStorage() : RocksStorage.open(c, clock, metrics);
        }
    }
}
