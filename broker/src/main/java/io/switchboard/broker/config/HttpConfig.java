package io.switchboard.broker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The broker's HTTP listener (module {@code admin}): Prometheus metrics, health checks, the admin
 * API and the web console, on a port of its own. Absent from a configuration, there is none (an
 * embedded broker opens no port it was not asked for); the {@code switchboard broker} command
 * without {@code --config} opens it on 127.0.0.1:18080. docs/operations.md describes it.
 *
 * @param enabled false turns it off; default true when the section is present
 * @param host the address to bind; default 127.0.0.1. An address other than a loopback one needs
 *     {@code users} or {@code tokens}: the API is never open beyond this machine
 * @param port the port; default 18080 (0: any free port)
 * @param tls HTTPS with this certificate and key (as a listener's {@code tls}); null for HTTP
 * @param users people who sign in (console, Basic authentication), with a role
 * @param tokens bearer tokens (Prometheus, scripts), with a role
 * @param sessionMinutes how long a console sign-in lasts without use; default 480
 * @param consoleCredentialSeconds how long the MQTT credential minted for a signed-in console user
 *     may be used to connect; default 300
 * @param maxRequestBytes the largest request body; default 4194304 (4 MiB, enough to publish a large payload)
 * @param publicMetrics true lets anyone read {@code /metrics} even when users or tokens are
 *     configured (a scraper on a private network); default false
 */
public record HttpConfig(Boolean enabled, String host, Integer port, TlsConfig tls, List<HttpUser> users,
        List<HttpToken> tokens, Integer sessionMinutes, Integer consoleCredentialSeconds, Integer maxRequestBytes,
        Boolean publicMetrics) {
    public static final int DEFAULT_PORT = 18080;
    public static final String ROLE_ADMIN = "admin";
    public static final String ROLE_READ_ONLY = "read-only";
    public static final List<String> ROLES = List.of(ROLE_ADMIN, ROLE_READ_ONLY);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public HttpConfig {
        enabled = enabled == null || enabled;
        host = host == null ? "127.0.0.1" : host;
        port = Check.range("http.port", port, DEFAULT_PORT, 0, 65_535);
        users = users == null ? List.of() : List.copyOf(users);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        sessionMinutes = Check.range("http.sessionMinutes", sessionMinutes, 480, 1, 7 * 24 * 60);
        consoleCredentialSeconds = Check.range("http.consoleCredentialSeconds", consoleCredentialSeconds, 300, 10,
                86_400);
        maxRequestBytes = Check.range("http.maxRequestBytes", maxRequestBytes, 4 * 1024 * 1024, 1024,
                256 * 1024 * 1024);
        publicMetrics = publicMetrics != null && publicMetrics;
        Set<String> names = new HashSet<>();
        for (HttpUser u : users) {
            if (!names.add(u.name())) {
                throw ConfigException.badValue("http.users[].name", u.name(), "names unique among users and tokens");
            }
        }
        for (HttpToken t : tokens) {
            if (!names.add(t.name())) {
                throw ConfigException.badValue("http.tokens[].name", t.name(), "names unique among users and tokens");
            }
        }
        if (enabled && users.isEmpty() && tokens.isEmpty() && !loopback(host)) {
            throw new ConfigException("http.host '" + host + "' is not a loopback address: configure http.users"
                    + " or http.tokens, so that the admin API and the console ask who is there (docs/operations.md)");
        }
    }

    /** On 127.0.0.1:18080, open to this machine only. */
    public static HttpConfig local() {
        return new HttpConfig(true, null, null, null, null, null, null, null, null, null);
    }

    /** Off. */
    public static HttpConfig off() {
        return new HttpConfig(false, null, null, null, null, null, null, null, null, null);
    }

    /** A copy on another port. */
    public HttpConfig withPort(int p) {
        return new HttpConfig(enabled, host, p, tls, users, tokens, sessionMinutes, consoleCredentialSeconds,
                maxRequestBytes, publicMetrics);
    }

    /** Whether anyone must say who they are: users or tokens are configured. */
    public boolean authenticated() {
        return !users.isEmpty() || !tokens.isEmpty();
    }

    /** Whether {@code host} names only this machine: a loopback address or "localhost". */
    public static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost: it could resolve to anything
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Someone who signs in with a password.
     *
     * @param name the user name
     * @param passwordHash an Argon2id or PBKDF2 hash, as {@code switchboard passwd} prints it
     * @param role {@code admin} (everything) or {@code read-only} (what changes nothing)
     * @param mqttName the authentication name under which the console's MQTT connection for this
     *     user connects, so it has that name's rights in the security policy; default the user name
     */
    public record HttpUser(String name, String passwordHash, String role, String mqttName) {
        public HttpUser {
            if (name == null || name.isBlank() || name.contains(":")) {
                throw ConfigException.badValue("http.users[].name", name, "a non-empty name without ':'");
            }
            if (passwordHash == null || !passwordHash.startsWith("$")) {
                throw ConfigException.badValue("http.users[" + name + "].passwordHash",
                        passwordHash == null ? null : "(hidden)",
                        "a hash made by 'switchboard passwd' ($argon2id$... or $pbkdf2-sha256$...), never a password");
            }
            role = checkRole(role, "http.users[" + name + "].role");
            mqttName = mqttName == null ? name : mqttName;
        }
    }

    /**
     * A bearer token, kept as its SHA-256 only.
     *
     * @param name who uses it (named in the audit log)
     * @param sha256 the SHA-256 of the token, in lower-case hex, as {@code switchboard token} prints it
     * @param role {@code admin} or {@code read-only}
     */
    public record HttpToken(String name, String sha256, String role) {
        public HttpToken {
            if (name == null || name.isBlank()) {
                throw ConfigException.badValue("http.tokens[].name", name, "a non-empty name");
            }
            if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
                throw ConfigException.badValue("http.tokens[" + name + "].sha256", sha256 == null ? null : "(hidden)",
                        "the SHA-256 of the token in 64 lower-case hex digits, as 'switchboard token' prints it");
            }
            role = checkRole(role, "http.tokens[" + name + "].role");
        }
    }

    private static String checkRole(String role, String key) {
        String r = role == null ? ROLE_ADMIN : role;
        if (!ROLES.contains(r)) {
            throw ConfigException.badValue(key, role, "one of " + ROLES);
        }
        return r;
    }
}
