package io.switchboard.admin;

import io.switchboard.admin.api.AdminApi;
import io.switchboard.admin.http.Access;
import io.switchboard.admin.http.HttpServer;
import io.switchboard.admin.metrics.Metrics;
import io.switchboard.broker.Broker;
import io.switchboard.broker.BrokerExtension;
import io.switchboard.broker.HttpListener;
import io.switchboard.broker.config.HttpConfig;
import io.switchboard.broker.transport.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP listener: {@code /metrics} (Prometheus), {@code /health/live} and
 * {@code /health/ready}, the admin API ({@code /api/v1/...}, described at {@code /api/openapi.yaml})
 * and the web console ({@code /console/}). Started by the broker when its configuration has an
 * {@code http} section ({@link Provider}), or for a running broker with {@link #start}.
 */
public final class AdminServer implements HttpListener {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Metrics metrics;
    private final HttpServer server;

    private AdminServer(Metrics metrics, HttpServer server) {
        this.metrics = metrics;
        this.server = server;
    }

    /** Serves {@code broker} as {@code config} says. */
    public static AdminServer start(Broker broker, HttpConfig config) {
        Access access = new Access(config, broker.clock());
        Metrics metrics = new Metrics(broker);
        try {
            HttpServer server = HttpServer.start(config.host(), config.port(),
                    config.tls() == null ? null : TlsContexts.httpServer(config.tls()), config.maxRequestBytes(),
                    AdminApi.routes(broker, access, metrics), access);
            AdminServer s = new AdminServer(metrics, server);
            String scheme = config.tls() == null ? "http" : "https";
            LOG.info("HTTP listener on {}://{}:{}/ (console /console/, metrics /metrics, API /api/v1); {}", scheme,
                    config.host(), s.port(), config.authenticated() ? "sign-in required"
                            : "no sign-in: answers this machine only");
            return s;
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }

    /** Found by the broker through ServiceLoader: starts after the extensions whose state the API shows. */
    public static final class Provider implements BrokerExtension.Provider {
        @Override
        public int order() {
            return 1000;
        }

        @Override
        public BrokerExtension start(Broker broker) {
            return broker.config().http().enabled() ? AdminServer.start(broker, broker.config().http()) : null;
        }
    }
}
