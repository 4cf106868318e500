package io.switchboard.security;

import io.switchboard.broker.auth.AccessControl;
import io.switchboard.broker.auth.AccessControlProvider;
import io.switchboard.broker.config.SecurityConfig;
import java.nio.file.Path;
import java.time.Clock;

/** The {@code security.policy} of a broker configuration, found by the broker through {@link java.util.ServiceLoader}. */
public final class PolicyAccessControlProvider implements AccessControlProvider {
    @Override
    public AccessControl create(SecurityConfig config, Clock clock) {
        return new PolicyAccessControl(Path.of(config.policy()), config.reloadCheckSeconds(), clock);
    }
}
