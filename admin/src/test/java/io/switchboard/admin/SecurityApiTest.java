package io.switchboard.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.switchboard.security.PasswordHash;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API with a security policy: the console's MQTT credential, minted for the signed-in user
 * and limited to the rights of its MQTT name, used by a real client over the WebSocket listener;
 * the policy reloaded through the API (SIGHUP's equivalent), connected clients decided again; the
 * denials counted by action and reason code in {@code /metrics}.
 */
class SecurityApiTest {
    static final String PASSWORD = "alice s3cret";
    static final String POLICY = """
            clients:
              - {authenticationName: operator-alice, attributes: {type: operator}}
              - {authenticationName: device1, attributes: {type: operator}, passwordHash: '%s'}
            clientGroups:
              - {name: operators, query: 'attributes.type = "operator"'}
            topicSpaces:
              - {name: own, topicTemplates: ['operators/${client.authenticationName}/#']}
            permissionBindings:
              - {name: ownPub, clientGroupName: operators, topicSpaceName: own, permission: publisher}
              - {name: ownSub, clientGroupName: operators, topicSpaceName: own, permission: subscriber}
            """.formatted(PasswordHash.pbkdf2("device pw".getBytes(UTF_8), 1000));

    @TempDir
    Path dir;
    Path policy;
    MovableClock clock = MovableClock.standingAt(Instant.parse("2026-12-06T10:00:00Z"));
    EmbeddedBroker broker;
    AdminHttp admin;

    @BeforeEach
    void start() {
        policy = dir.resolve("policy.yaml");
        write(POLICY);
        broker = EmbeddedBroker.fromYaml("""
                listeners:
                  - {name: tcp, type: tcp, port: 0}
                  - {name: ws, type: ws, port: 0}
                security: {policy: "%s", reloadCheckSeconds: 0}
                http:
                  port: 0
                  users:
                    - {name: alice, role: admin, mqttName: operator-alice, passwordHash: '%s'}
                    - {name: bob, role: read-only, passwordHash: '%s'}
                """.formatted(policy, PasswordHash.pbkdf2(PASSWORD.getBytes(UTF_8), 1000),
                PasswordHash.pbkdf2("bob pw".getBytes(UTF_8), 1000))).with(b -> b.clock(clock));
        broker.start();
        admin = new AdminHttp(broker.broker().httpPort()).basic("alice", PASSWORD);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    void write(String text) {
        try {
            Files.writeString(policy, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Mqtt5BlockingClient overWebSocket(JsonNode credential, String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(broker.port("ws")).webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
    }

    void connect(Mqtt5BlockingClient c, JsonNode credential, String password) {
        c.connectWith().simpleAuth().username(credential.get("username").asText()).password(password.getBytes(UTF_8))
                .applySimpleAuth().send();
    }

    @Test
    void theConsoleCredentialConnectsOverWebSocketWithTheUsersMqttRightsOnly() {
        JsonNode cred = admin.post("/api/v1/console/mqtt-credential", null).json();
        assertThat(cred.get("url").asText()).isEqualTo("ws://127.0.0.1:" + broker.port("ws") + "/mqtt");
        assertThat(cred.get("username").asText()).isEqualTo("operator-alice");
        assertThat(cred.get("clientId").asText()).startsWith("console-alice-");
        assertThat(cred.get("expiresAt").asText()).isEqualTo("2026-12-06T10:05:00Z");

        Mqtt5BlockingClient c = overWebSocket(cred, cred.get("clientId").asText());
        connect(c, cred, cred.get("password").asText());
        try {
            assertThat(c.subscribeWith().topicFilter("operators/operator-alice/#").send().getReasonCodes())
                    .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
            assertThatThrownBy(() -> c.subscribeWith().topicFilter("operators/device9/#").send())
                    .isInstanceOfSatisfying(Mqtt5SubAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
        } finally {
            c.disconnect();
        }
        // The denial is counted by action and reason code in /metrics.
        assertThat(admin.get("/metrics").text()).contains(
                "switchboard_authorization_denials_total{action=\"subscribe\",code=\"0x87\",reason=\"not_authorized\"} 1.0");
    }

    @Test
    void theCredentialWorksForItsClientIdOnlyAndUntilItExpires() {
        JsonNode cred = admin.post("/api/v1/console/mqtt-credential", null).json();
        Mqtt5BlockingClient other = overWebSocket(cred, "someone-else");
        assertThatThrownBy(() -> connect(other, cred, cred.get("password").asText()))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        Mqtt5BlockingClient forged = overWebSocket(cred, cred.get("clientId").asText());
        assertThatThrownBy(() -> connect(forged, cred, "sbic1.forged"))
                .isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(admin.get("/metrics").text()).contains("switchboard_connections_refused_total{code=\"0x86\","
                + "reason=\"bad_user_name_or_password\"} 2.0");
        clock.advance(Duration.ofSeconds(300));
        Mqtt5BlockingClient late = overWebSocket(cred, cred.get("clientId").asText());
        assertThatThrownBy(() -> connect(late, cred, cred.get("password").asText()))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
                    assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString())
                            .isEqualTo("the console credential expired: sign in again");
                });
    }

    @Test
    void aUserWithoutARegisteredMqttNameGetsNoCredential() {
        AdminHttp bob = new AdminHttp(broker.broker().httpPort()).basic("bob", "bob pw");
        AdminHttp.Answer a = bob.post("/api/v1/console/mqtt-credential", null);
        assertThat(a.status()).isEqualTo(409);
        assertThat(a.json().get("detail").asText()).isEqualTo("'bob' is not a client the security policy lets in:"
                + " register it (docs/security.md) to give it MQTT rights");
    }

    @Test
    void aReloadThroughTheApiDecidesConnectedClientsAgain() throws Exception {
        JsonNode cred = admin.post("/api/v1/console/mqtt-credential", null).json();
        CompletableFuture<Throwable> gone = new CompletableFuture<>();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(cred.get("clientId").asText())
                .serverHost("127.0.0.1").serverPort(broker.port("ws")).webSocketConfig().serverPath("mqtt")
                .applyWebSocketConfig().addDisconnectedListener(ctx -> gone.complete(ctx.getCause())).buildBlocking();
        connect(c, cred, cred.get("password").asText());

        write("clients: [[");
        JsonNode bad = admin.post("/api/v1/security/reload", "{}").json();
        assertThat(bad.get("security").get("applied").asBoolean()).isFalse();
        assertThat(bad.get("security").get("message").asText()).contains(policy.toString());
        assertThat(c.getState().isConnected()).isTrue();

        write(POLICY.replace("  - {authenticationName: operator-alice, attributes: {type: operator}}\n", ""));
        JsonNode good = admin.post("/api/v1/security/reload", "{}").json();
        assertThat(good.get("security").get("applied").asBoolean()).as(good.toString()).isTrue();
        Throwable cause = gone.get(10, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        await().until(() -> admin.get("/metrics").text().contains("switchboard_authorization_denials_total{action=\"recheck\""));
        assertThat(admin.post("/api/v1/console/mqtt-credential", null).status()).isEqualTo(409);
    }
}
