package io.switchboard.security;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.codec.ReasonCode;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Authentication by the client registry of a {@link Policy}.
 * <ul>
 * <li>A client with a certificate is who its certificate says (the name the TLS listener took from
 * it, in the listener's {@code identity} order: CN, DN or a SAN). It is let in when that name is a
 * registered, enabled client (with the registry's attributes), or else when a client rule matches
 * its certificate (with the rule's attributes, which may come from certificate fields).
 * <li>A client without a certificate gives its authentication name as the user name and its
 * password, checked against the registered hash (Argon2id or PBKDF2, in constant time, off the event
 * loop).
 * </ul>
 * Refusals: CONNACK 0x87 Not authorized (3.1.1: return code 5) for no credentials, a name that is
 * not one plain topic level, an unknown or a disabled client; 0x86 Bad user name or password (3.1.1:
 * 4) for a wrong or missing password; 0x89 Server busy when password checks are queued beyond
 * their bound. Each with a reason string that says why.
 */
public final class RegistryAuthenticator implements Authenticator {
    private final Supplier<Policy> policy;
    /** Where password hashes are checked: they take tens of milliseconds, never on an event loop. */
    private final Executor hashing;
    /** The policy before the last reload, while connected clients are rechecked: a changed password shows. */
    private volatile Policy previous;

    /** With a fixed policy, checking passwords on the common pool (tests, embedding). */
    public RegistryAuthenticator(Policy policy) {
        this(() -> policy, java.util.concurrent.ForkJoinPool.commonPool());
    }

    public RegistryAuthenticator(Supplier<Policy> policy, Executor hashing) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
    }

    @Override
    public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
        Policy p = policy.get();
        if (!attempt.clientCertificates().isEmpty()) {
            return CompletableFuture.completedFuture(byCertificate(p, attempt.certificateName(),
                    attempt.clientCertificates().get(0)));
        }
        if (attempt.username() == null) {
            return done(refuse("a client certificate, or a user name and password, is required"));
        }
        String name = attempt.username();
        Policy.Client client = p.client(name).orElse(null);
        AuthOutcome refusal = registered(client, name);
        if (refusal != null) {
            return done(refusal);
        }
        if (client.passwordHash() == null) {
            return done(refuse("client '" + name + "' authenticates with a certificate, not a password"));
        }
        if (attempt.password() == null) {
            return done(badPassword("a password is required for client '" + name + "'"));
        }
        byte[] password = attempt.password().clone();
        try {
            return CompletableFuture.supplyAsync(() -> PasswordHash.verify(client.passwordHash(), password)
                    ? new AuthOutcome.Success(name, client.attributes(), null)
                    : badPassword("bad user name or password"), hashing);
        } catch (RejectedExecutionException e) {
            return done(new AuthOutcome.Failure(ReasonCode.SERVER_BUSY,
                    "too many password checks are waiting; try again later"));
        }
    }

    /** A certificate client: the explicit registry entry of its name, else the first rule its certificate matches. */
    AuthOutcome byCertificate(Policy p, String name, X509Certificate certificate) {
        if (name == null) {
            return refuse("the client certificate carries none of the names the listener takes (tls.identity)");
        }
        if (!TopicTemplate.isPlainLevel(name)) {
            return refuse("the authentication name from the certificate is refused: it is empty, contains '+', '#',"
                    + " '/' or NUL, or starts with '$'");
        }
        Policy.Client client = p.client(name).orElse(null);
        if (client != null) {
            AuthOutcome refusal = registered(client, name);
            return refusal != null ? refusal : new AuthOutcome.Success(name, client.attributes(), null);
        }
        CertificateFields fields = CertificateFields.of(certificate);
        CertificateRule rule = p.rule(fields).orElse(null);
        if (rule == null) {
            return refuse("'" + name + "' is not a registered client, and no client rule matches its certificate");
        }
        if (!rule.enabled()) {
            return refuse("client '" + name + "' is disabled by client rule '" + rule.name() + "'");
        }
        return new AuthOutcome.Success(name, rule.attributes(fields), null);
    }

    /**
     * After a reload: a certificate client is decided again from its certificate; a password client
     * must still be registered, enabled and have the password hash it authenticated with.
     */
    @Override
    public AuthOutcome recheck(ClientIdentity identity, List<X509Certificate> certificates) {
        Policy p = policy.get();
        String name = identity.authenticationName();
        if (!certificates.isEmpty()) {
            return byCertificate(p, name, certificates.get(0));
        }
        Policy.Client client = p.client(name).orElse(null);
        AuthOutcome refusal = registered(client, name);
        if (refusal != null) {
            return refusal;
        }
        if (client.passwordHash() == null) {
            return refuse("client '" + name + "' no longer has a password");
        }
        Policy before = previous;
        Policy.Client was = before == null ? null : before.client(name).orElse(null);
        if (was != null && !client.passwordHash().equals(was.passwordHash())) {
            return refuse("the password of client '" + name + "' changed");
        }
        return new AuthOutcome.Success(name, client.attributes(), null);
    }

    /** A registered, enabled client of the policy in force: its name and attributes. */
    @Override
    public Optional<AuthOutcome.Success> identityOf(String authenticationName) {
        Policy.Client client = policy.get().client(authenticationName).orElse(null);
        return registered(client, authenticationName) != null ? Optional.empty()
                : Optional.of(new AuthOutcome.Success(authenticationName, client.attributes(), null));
    }

    /** The policy {@code before} a reload, while connected clients are rechecked; null after. */
    void rechecking(Policy before) {
        this.previous = before;
    }

    private static AuthOutcome registered(Policy.Client client, String name) {
        if (client == null) {
            return refuse("'" + name + "' is not a registered client");
        }
        if (!client.enabled()) {
            return refuse("client '" + name + "' is disabled");
        }
        return null;
    }

    private static CompletionStage<AuthOutcome> done(AuthOutcome o) {
        return CompletableFuture.completedFuture(o);
    }

    private static AuthOutcome refuse(String reason) {
        return new AuthOutcome.Failure(ReasonCode.NOT_AUTHORIZED, reason);
    }

    private static AuthOutcome badPassword(String reason) {
        return new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD, reason);
    }
}
