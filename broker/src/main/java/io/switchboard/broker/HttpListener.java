package io.switchboard.broker;

import io.switchboard.broker.config.HttpConfig;

/**
 * The broker's HTTP listener of {@link HttpConfig} (metrics, health checks, the admin API, the
 * console), from the {@code admin} module, found through {@link Provider} ({@code ServiceLoader}).
 */
public interface HttpListener extends AutoCloseable {

    /** The port it is bound to. */
    int port();

    /** Stops it; requests in progress get no answer. */
    @Override
    void close();

    /** Starts the HTTP listener of a running broker. */
    interface Provider {
        /**
         * Binds {@code broker.config().http()} and serves the broker; fails with a
         * {@link io.switchboard.broker.config.ConfigException} naming what is wrong.
         */
        HttpListener start(Broker broker);
    }
}
