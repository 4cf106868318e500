package io.switchboard.broker.auth;

import io.switchboard.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived MQTT credentials the broker issues itself, for a client acting under an existing
 * authentication name: the web console's browser client connects with one minted for the signed-in
 * user, and then has exactly the MQTT rights of that name. A credential is a client id, a user name
 * (the authentication name) and a random password of 256 bits; it may be used to connect until it
 * expires, by that client id only; the connection then lasts as any other. Only its SHA-256 is kept.
 */
public final class IssuedCredentials {
    /** Every issued password starts with this, so that other passwords never reach the lookup. */
    static final String PREFIX = "sbic1.";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    /** A credential as handed out. */
    public record Credential(String clientId, String username, String password, Instant expiresAt) {
        @Override
        public String toString() {
            return "Credential[clientId=" + clientId + ", username=" + username + ", expiresAt=" + expiresAt + "]";
        }
    }

    private record Issued(String name, String clientId, long expiresAtMillis) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** By the SHA-256 of the password (hex). */
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    /** Client ids that connected with an issued credential, to their authentication name: for rechecks. */
    private final Map<String, String> clients = new ConcurrentHashMap<>();

    public IssuedCredentials(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues a credential for {@code authenticationName}, with a new client id starting with
     * {@code clientIdPrefix}, usable for {@code ttl}.
     */
    public Credential issue(String authenticationName, String clientIdPrefix, Duration ttl) {
        long now = clock.millis();
        issued.values().removeIf(i -> i.expiresAtMillis() <= now);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String password = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] id = new byte[6];
        random.nextBytes(id);
        String clientId = clientIdPrefix + HexFormat.of().formatHex(id);
        long expires = now + ttl.toMillis();
        issued.put(sha256(password.getBytes(StandardCharsets.US_ASCII)), new Issued(authenticationName, clientId, expires));
        return new Credential(clientId, authenticationName, password, Instant.ofEpochMilli(expires));
    }

    /** {@code inner}, with issued credentials let in under their name as {@code inner} knows it. */
    public Authenticator guarding(Authenticator inner) {
        return new Guard(inner);
    }

    private static boolean looksIssued(byte[] password) {
        return password != null && password.length > PREFIX_BYTES.length
                && Arrays.equals(password, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private final class Guard implements Authenticator {
        private final Authenticator inner;

        Guard(Authenticator inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
            if (attempt.authenticationMethod() != null || !looksIssued(attempt.password())) {
                return inner.authenticate(attempt);
            }
            return CompletableFuture.completedFuture(check(attempt));
        }

        private AuthOutcome check(ConnectAttempt attempt) {
            Issued i = issued.get(sha256(attempt.password()));
            if (i == null || !i.clientId().equals(attempt.clientId())
                    || (attempt.username() != null && !attempt.username().equals(i.name()))) {
                return new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "unknown console credential, or not for this client id and user name");
            }
            if (clock.millis() >= i.expiresAtMillis()) {
                return new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "the console credential expired: sign in again");
            }
            Optional<AuthOutcome.Success> who = inner.identityOf(i.name());
            if (who.isEmpty()) {
                return new AuthOutcome.Failure(ReasonCode.NOT_AUTHORIZED,
                        "'" + i.name() + "' is no longer a client the broker lets in");
            }
            clients.put(i.clientId(), i.name());
            return who.get();
        }

        @Override
        public AuthOutcome recheck(ClientIdentity identity, List<X509Certificate> certificates) {
            String name = clients.get(identity.clientId());
            if (name == null || !name.equals(identity.authenticationName())) {
                return inner.recheck(identity, certificates);
            }
            return inner.identityOf(name).<AuthOutcome>map(s -> s).orElseGet(() -> new AuthOutcome.Failure(
                    ReasonCode.NOT_AUTHORIZED, "'" + name + "' is no longer a client the broker lets in"));
        }

        @Override
        public boolean supportsMethod(String authenticationMethod) {
            return inner.supportsMethod(authenticationMethod);
        }

        @Override
        public Optional<AuthOutcome.Success> identityOf(String authenticationName) {
            return inner.identityOf(authenticationName);
        }
    }
}
