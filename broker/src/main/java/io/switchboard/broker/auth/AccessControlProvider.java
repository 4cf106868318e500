package io.switchboard.broker.auth;

import io.switchboard.broker.config.SecurityConfig;
import java.time.Clock;

/**
 * Makes the {@link AccessControl} a {@code security} section asks for. Found with
 * {@link java.util.ServiceLoader} (the {@code switchboard-security} module provides one), so that
 * a broker started from a configuration file alone has its policy applied.
 */
public interface AccessControlProvider {

    /**
     * The access control of this section (which has a {@code policy}).
     *
     * @param clock the broker's clock (time-bound rights follow it)
     * @throws io.switchboard.broker.config.ConfigException naming the file and the problem when the
     *     policy cannot be loaded
     */
    AccessControl create(SecurityConfig config, Clock clock);
}
