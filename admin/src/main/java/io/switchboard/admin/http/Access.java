package io.switchboard.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.HttpConfig;
import io.switchboard.security.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the HTTP listener: users who sign in (Argon2id or PBKDF2 password hashes, as MQTT
 * clients'), bearer tokens kept as their SHA-256, and the console's sign-in sessions (random tokens,
 * ended after {@code sessionMinutes} without use). Without users and tokens the listener is on a
 * loopback address (HttpConfig checks it) and every caller is admin.
 *
 * <p>Failed sign-ins are logged on {@code io.switchboard.admin} and limited per remote address: after
 * {@value #FAILURES_PER_MINUTE} in a minute, further attempts from it get 429 until the minute ends.
 */
public final class Access {
    private static final Logger AUDIT = LoggerFactory.getLogger("io.switchboard.admin");
    static final int FAILURES_PER_MINUTE = 10;

    private record Session(HttpConfig.HttpUser user, long lastUsedMillis) {
    }

    private record Failures(long minute, int count) {
    }

    private final HttpConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Console sessions by the SHA-256 of their token. */
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public Access(HttpConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        for (HttpConfig.HttpUser u : config.users()) {
            if (!PasswordHash.isHash(u.passwordHash())) {
                throw new ConfigException("http.users[" + u.name() + "].passwordHash is not a password hash:"
                        + " expected $argon2id$... or $pbkdf2-sha256$... as 'switchboard passwd' prints it");
            }
        }
    }

    /** Whether callers must say who they are. */
    public boolean signInRequired() {
        return config.authenticated();
    }

    /**
     * The caller of a request with this {@code Authorization} header (null if none): LOCAL when no
     * one needs to sign in, ANONYMOUS without a header; 401 for credentials that are not valid.
     */
    public Caller caller(String authorization, String remote) {
        if (!config.authenticated()) {
            return Caller.LOCAL;
        }
        if (authorization == null || authorization.isBlank()) {
            return Caller.ANONYMOUS;
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return bearer(value, remote);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw unauthorized("the Basic credentials are not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw unauthorized("Basic credentials are user:password in base64");
            }
            HttpConfig.HttpUser u = checkPassword(decoded.substring(0, colon), decoded.substring(colon + 1), remote);
            return new Caller(u.name(), u.role(), "basic", u.mqttName(), null);
        }
        throw unauthorized("unsupported authorization scheme '" + scheme + "': use Bearer or Basic");
    }

    private Caller bearer(String token, String remote) {
        byte[] presented = sha256(token);
        for (HttpConfig.HttpToken t : config.tokens()) {
            if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(t.sha256()))) {
                return new Caller(t.name(), t.role(), "token", null, null);
            }
        }
        String key = HexFormat.of().formatHex(presented);
        long now = clock.millis();
        Session s = sessions.get(key);
        if (s != null && now - s.lastUsedMillis() < sessionMillis()) {
            sessions.put(key, new Session(s.user(), now));
            return new Caller(s.user().name(), s.user().role(), "session", s.user().mqttName(), token);
        }
        if (s != null) {
            sessions.remove(key);
            throw unauthorized("the sign-in session ended: sign in again");
        }
        AUDIT.warn("admin: unknown bearer token from {}", remote);
        throw unauthorized("unknown bearer token");
    }

    /** Signs a user in: a new session token, or 401. */
    public Map<String, Object> signIn(String user, String password, String remote) {
        HttpConfig.HttpUser u = checkPassword(user, password, remote);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        long now = clock.millis();
        sessions.values().removeIf(s -> now - s.lastUsedMillis() >= sessionMillis());
        sessions.put(HexFormat.of().formatHex(sha256(token)), new Session(u, now));
        AUDIT.info("admin: {} signed in from {}", u.name(), remote);
        return Map.of("token", token, "user", u.name(), "role", u.role(),
                "expiresAt", Instant.ofEpochMilli(now + sessionMillis()).toString());
    }

    /** Ends the session of a token; false when there was none. */
    public boolean signOut(String token) {
        return token != null && sessions.remove(HexFormat.of().formatHex(sha256(token))) != null;
    }

    private HttpConfig.HttpUser checkPassword(String user, String password, String remote) {
        long minute = clock.millis() / 60_000;
        Failures f = failures.get(remote);
        if (f != null && f.minute() == minute && f.count() >= FAILURES_PER_MINUTE) {
            throw new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "too-many-failures",
                    "too many failed sign-ins from " + remote + " in this minute; try again later");
        }
        HttpConfig.HttpUser u = config.users().stream().filter(x -> x.name().equals(user)).findFirst().orElse(null);
        // The hash is checked even for an unknown user, so that the answer's time does not tell which users exist.
        String hash = u != null ? u.passwordHash() : config.users().isEmpty() ? null : config.users().get(0).passwordHash();
        boolean ok = hash != null && PasswordHash.verify(hash, password.getBytes(StandardCharsets.UTF_8)) && u != null;
        if (!ok) {
            failures.compute(remote, (k, old) -> old == null || old.minute() != minute ? new Failures(minute, 1)
                    : new Failures(minute, old.count() + 1));
            AUDIT.warn("admin: failed sign-in as '{}' from {}", io.switchboard.broker.logging.LogText.escape(user), remote);
            throw unauthorized("bad user name or password");
        }
        return u;
    }

    private long sessionMillis() {
        return config.sessionMinutes() * 60_000L;
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
