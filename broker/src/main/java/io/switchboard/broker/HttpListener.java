package io.switchboard.broker;

import io.switchboard.broker.config.HttpConfig;

/**
 * The broker's HTTP listener of {@link HttpConfig} (metrics, health checks, the admin API, the
 * console): the {@link BrokerExtension} of the {@code admin} module.
 */
public interface HttpListener extends BrokerExtension {

    /** The port it is bound to. */
    int port();
}
