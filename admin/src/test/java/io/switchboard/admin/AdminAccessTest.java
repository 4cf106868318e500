package io.switchboard.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.security.PasswordHash;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may use the HTTP listener when users and tokens are configured: nothing but the health checks,
 * the API's description, the console's files and sign-in answers without credentials; a read-only
 * caller reads and changes nothing; every refusal is RFC 9457 problem details that say why. Without
 * users and tokens the listener must stay on a loopback address.
 */
class AdminAccessTest {
    static final String ADMIN_PASSWORD = "admin s3cret";
    static final String VIEWER_PASSWORD = "viewer s3cret";
    static final String PROMETHEUS_TOKEN = "prometheus-token-0123456789abcdef";

    static final String BROKER_YAML = """
            listeners:
              - {name: default, type: tcp, port: 0}
              - {name: ws, type: ws, port: 0}
            http:
              port: 0
              users:
                - {name: alice, role: admin, passwordHash: '%s'}
                - {name: victor, role: read-only, passwordHash: '%s'}
              tokens:
                - {name: prometheus, role: read-only, sha256: %s}
            """.formatted(PasswordHash.pbkdf2(ADMIN_PASSWORD.getBytes(UTF_8), 1000),
            PasswordHash.pbkdf2(VIEWER_PASSWORD.getBytes(UTF_8), 1000), sha256(PROMETHEUS_TOKEN));

    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml(BROKER_YAML);

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    AdminHttp http() {
        return new AdminHttp(BROKER.broker().httpPort());
    }

    @Test
    void withoutCredentialsOnlyPublicPathsAnswer() {
        AdminHttp h = http();
        assertThat(h.get("/health/live").status()).isEqualTo(200);
        assertThat(h.get("/health/ready").status()).isEqualTo(200);
        assertThat(h.get("/api/openapi.yaml").status()).isEqualTo(200);
        assertThat(h.get("/api/v1/whoami").json().get("signInRequired").asBoolean()).isTrue();
        for (String path : new String[] {"/metrics", "/api/v1/broker", "/api/v1/clients", "/api/v1/config",
                "/api/v1/stats", "/api/v1/retained"}) {
            AdminHttp.Answer a = h.get(path);
            assertThat(a.status()).as(path).isEqualTo(401);
            assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(a.json().get("type").asText()).isEqualTo("urn:switchboard:problem:unauthorized");
            assertThat(a.json().get("detail").asText()).contains("sign in");
            assertThat(a.json().get("instance").asText()).isEqualTo(path);
        }
        assertThat(h.post("/api/v1/publish", "{\"topic\":\"a\"}").status()).isEqualTo(401);
    }

    @Test
    void signInGivesABearerTokenUntilSignOut() {
        AdminHttp h = http();
        AdminHttp.Answer login = h.post("/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("role").asText()).isEqualTo("admin");
        String token = login.json().get("token").asText();
        h.bearer(token);
        assertThat(h.get("/api/v1/whoami").json().get("user").asText()).isEqualTo("alice");
        assertThat(h.get("/api/v1/broker").status()).isEqualTo(200);
        assertThat(h.post("/api/v1/publish", "{\"topic\":\"access/ok\"}").status()).isEqualTo(200);
        assertThat(h.post("/api/v1/logout", null).status()).isEqualTo(204);
        AdminHttp.Answer after = h.get("/api/v1/broker");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("detail").asText()).isEqualTo("unknown bearer token");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        AdminHttp h = http();
        AdminHttp.Answer wrong = h.post("/api/v1/login", "{\"username\":\"alice\",\"password\":\"nope\"}");
        AdminHttp.Answer unknown = h.post("/api/v1/login", "{\"username\":\"mallory\",\"password\":\"nope\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.json().get("detail").asText()).isEqualTo("bad user name or password")
                .isEqualTo(unknown.json().get("detail").asText());
        assertThat(h.post("/api/v1/login", "{\"username\":\"alice\"}").json().get("detail").asText())
                .isEqualTo("give username and password");
        assertThat(h.post("/api/v1/login", "{not json").json().get("detail").asText())
                .startsWith("the body is not valid JSON");
    }

    @Test
    void readOnlyCallersReadButChangeNothing() {
        AdminHttp viewer = http().basic("victor", VIEWER_PASSWORD);
        assertThat(viewer.get("/api/v1/clients").status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/config").status()).isEqualTo(200);
        AdminHttp.Answer publish = viewer.post("/api/v1/publish", "{\"topic\":\"access/denied\"}");
        assertThat(publish.status()).isEqualTo(403);
        assertThat(publish.json().get("detail").asText())
                .isEqualTo("victor (basic) has role read-only; POST /api/v1/publish needs role admin");
        assertThat(viewer.delete("/api/v1/retained/message?topic=x").status()).isEqualTo(403);
        assertThat(viewer.post("/api/v1/security/reload", "{}").status()).isEqualTo(403);

        AdminHttp prometheus = http().bearer(PROMETHEUS_TOKEN);
        AdminHttp.Answer metrics = prometheus.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("switchboard_clients_connected");
        assertThat(prometheus.post("/api/v1/clients/x/disconnect", "{}").status()).isEqualTo(403);
    }

    @Test
    void badCredentialsAreRefusedAndNamed() {
        assertThat(http().bearer("not-a-token").get("/api/v1/broker").json().get("detail").asText())
                .isEqualTo("unknown bearer token");
        assertThat(http().basic("alice", "wrong").get("/api/v1/broker").status()).isEqualTo(401);
        AdminHttp.Answer digest = http().get("/api/v1/broker", "Authorization", "Digest abc");
        assertThat(digest.status()).isEqualTo(401);
        assertThat(digest.json().get("detail").asText()).contains("unsupported authorization scheme 'Digest'");
    }

    @Test
    void tooManyFailedSignInsFromOneAddressAreHeldBackForTheMinute() {
        // A broker of its own, on a clock the test moves: the other tests' sign-ins are not held back.
        MovableClock clock = MovableClock.standingAt(Instant.parse("2026-12-06T10:00:00Z"));
        try (EmbeddedBroker own = EmbeddedBroker.fromYaml(BROKER_YAML).with(b -> b.clock(clock))) {
            own.start();
            AdminHttp h = new AdminHttp(own.broker().httpPort());
            String right = "{\"username\":\"alice\",\"password\":\"" + ADMIN_PASSWORD + "\"}";
            for (int i = 0; i < 10; i++) {
                assertThat(h.post("/api/v1/login", "{\"username\":\"alice\",\"password\":\"guess" + i + "\"}")
                        .status()).isEqualTo(401);
            }
            AdminHttp.Answer held = h.post("/api/v1/login", right);
            assertThat(held.status()).isEqualTo(429);
            assertThat(held.json().get("detail").asText())
                    .isEqualTo("too many failed sign-ins from 127.0.0.1 in this minute; try again later");
            clock.advance(Duration.ofMinutes(1));
            assertThat(h.post("/api/v1/login", right).status()).isEqualTo(200);
        }
    }

    @Test
    void aPageOfAnotherOriginCannotUseTheApi() {
        AdminHttp h = http().basic("alice", ADMIN_PASSWORD);
        AdminHttp.Answer a = h.post("/api/v1/publish", "{\"topic\":\"csrf\"}", "Origin", "http://attacker.example");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("detail").asText()).isEqualTo("cross-origin request from http://attacker.example refused");
    }

    @Test
    void anUnknownPathOrMethodIsNamed() {
        AdminHttp h = http().basic("alice", ADMIN_PASSWORD);
        assertThat(h.get("/api/v1/nothing").json().get("detail").asText())
                .isEqualTo("no such path: /api/v1/nothing (the API is described at /api/openapi.yaml)");
        AdminHttp.Answer method = h.delete("/api/v1/publish");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("detail").asText()).isEqualTo("DELETE is not allowed on /api/v1/publish; allowed: POST");
    }

    @Test
    void theConfigurationIsShownWithItsSecretsMasked() {
        String config = http().basic("victor", VIEWER_PASSWORD).get("/api/v1/config").text();
        assertThat(config).contains("\"passwordHash\":\"********\"").contains("\"sha256\":\"********\"")
                .doesNotContain("pbkdf2").doesNotContain(sha256(PROMETHEUS_TOKEN));
    }

    @Test
    void withoutUsersTheListenerStaysOnThisMachine() {
        assertThatThrownBy(() -> ConfigLoader.parse("http: {host: 0.0.0.0}", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.host '0.0.0.0' is not a loopback address: configure http.users or"
                        + " http.tokens");
        assertThatThrownBy(() -> ConfigLoader.parse("http: {users: [{name: a, passwordHash: secret}]}", "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("never a password");
        assertThat(ConfigLoader.parse("http: {host: 0.0.0.0, tokens: [{name: t, sha256: " + sha256("x") + "}]}",
                "test.yaml").http().authenticated()).isTrue();
    }
}
