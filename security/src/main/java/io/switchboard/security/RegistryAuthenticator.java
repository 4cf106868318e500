package io.switchboard.security;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.codec.ReasonCode;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authentication by the client registry of a {@link Policy}: a client is who its certificate says
 * (the name the TLS listener took from it, in the listener's {@code identity} order: CN, DN or a
 * SAN), and it is let in only when that name is a registered, enabled client, with the registry's
 * attributes. Everything else gets CONNACK 0x87 Not authorized (3.1.1: return code 5) with a reason
 * that says why: no certificate, a name that is not one plain topic level, an unknown or a disabled
 * client.
 */
public final class RegistryAuthenticator implements Authenticator {
    private final Policy policy;

    public RegistryAuthenticator(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
        return CompletableFuture.completedFuture(decide(attempt.certificateName()));
    }

    AuthOutcome decide(String name) {
        if (name == null) {
            return refuse("a client certificate is required (connect to a TLS listener with one)");
        }
        if (!TopicTemplate.isPlainLevel(name)) {
            return refuse("the authentication name from the certificate is refused: it is empty, contains '+', '#',"
                    + " '/' or NUL, or starts with '$'");
        }
        Policy.Client client = policy.client(name).orElse(null);
        if (client == null) {
            return refuse("'" + name + "' is not a registered client");
        }
        if (!client.enabled()) {
            return refuse("client '" + name + "' is disabled");
        }
        return new AuthOutcome.Success(name, client.attributes(), null);
    }

    private static AuthOutcome refuse(String reason) {
        return new AuthOutcome.Failure(ReasonCode.NOT_AUTHORIZED, reason);
    }
}
