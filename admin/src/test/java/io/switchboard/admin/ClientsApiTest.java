package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.switchboard.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients, sessions, subscriptions and topics through the admin API, with real MQTT clients (the
 * HiveMQ MQTT Client, 5.0 and 3.1.1) on a real broker: lists with filters and paging, one client's
 * details, disconnect with a reason code the client receives, a session deleted with what it held.
 */
class ClientsApiTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, type: tcp, port: 0}
            http: {port: 0}
            """);

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void disconnectAll() {
        cleanup.forEach(r -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // already disconnected by the test
            }
        });
    }

    AdminHttp http() {
        return new AdminHttp(BROKER.broker().httpPort());
    }

    Mqtt5BlockingClient v5(String id, long sessionExpiry) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(BROKER.port()).simpleAuth().username("user-" + id).applySimpleAuth().buildBlocking();
        c.connectWith().cleanStart(true).sessionExpiryInterval(sessionExpiry).send();
        cleanup.add(c::disconnect);
        return c;
    }

    Mqtt3BlockingClient v311(String id) {
        Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1")
                .serverPort(BROKER.port()).buildBlocking();
        c.connect();
        cleanup.add(c::disconnect);
        return c;
    }

    @Test
    void clientsAreListedWithFiltersAndPages() {
        for (int i = 0; i < 5; i++) {
            v5("list-v5-" + i, 0);
        }
        v311("list-v311-0");
        Mqtt5BlockingClient offline = v5("list-offline", 3600);
        offline.disconnect();
        await().until(() -> !BROKER.broker().sessions().get("list-offline").online());
        AdminHttp h = http();

        JsonNode all = h.get("/api/v1/clients?clientId=list-*").json();
        assertThat(all.get("total").asInt()).isEqualTo(7);
        JsonNode v311 = h.get("/api/v1/clients?clientId=list-*&protocolVersion=4").json();
        assertThat(v311.get("total").asInt()).isEqualTo(1);
        assertThat(v311.get("items").get(0).get("clientId").asText()).isEqualTo("list-v311-0");
        JsonNode off = h.get("/api/v1/clients?clientId=list-*&connected=false").json();
        assertThat(off.get("items").get(0).get("clientId").asText()).isEqualTo("list-offline");
        assertThat(off.get("items").get(0).get("connected").asBoolean()).isFalse();
        JsonNode byUser = h.get("/api/v1/clients?username=user-list-v5-3").json();
        assertThat(byUser.get("items").get(0).get("clientId").asText()).isEqualTo("list-v5-3");
        assertThat(byUser.get("items").get(0).get("remoteAddress").asText()).matches("127\\.0\\.0\\.1:[0-9]+");

        // Pages of 3 in client id order, the cursor carrying on where the last page stopped.
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = h.get("/api/v1/clients?clientId=list-*&limit=3" + (after == null ? "" : "&after=" + after))
                    .json();
            page.get("items").forEach(i -> seen.add(i.get("clientId").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        assertThat(seen).containsExactly("list-offline", "list-v311-0", "list-v5-0", "list-v5-1", "list-v5-2",
                "list-v5-3", "list-v5-4");

        assertThat(h.get("/api/v1/clients?limit=0").json().get("detail").asText())
                .isEqualTo("invalid limit '0': an integer from 1 to 1000");
        assertThat(h.get("/api/v1/clients?connected=maybe").json().get("detail").asText())
                .isEqualTo("invalid connected 'maybe': true or false");
        assertThat(h.get("/api/v1/clients?after=!!!").status()).isEqualTo(400);
    }

    @Test
    void oneClientShowsItsConnectionSessionAndSubscriptions() {
        Mqtt5BlockingClient c = v5("details/one", 120);
        c.subscribeWith().topicFilter("details/+/temp").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
        c.subscribeWith().topicFilter("$share/g/details/#").qos(MqttQos.EXACTLY_ONCE).send();
        JsonNode d = http().get("/api/v1/clients/details%2Fone").json();
        assertThat(d.get("clientId").asText()).isEqualTo("details/one");
        assertThat(d.get("connected").asBoolean()).isTrue();
        assertThat(d.get("protocolVersion").asInt()).isEqualTo(5);
        assertThat(d.get("authenticationName").asText()).isEqualTo("user-details/one");
        assertThat(d.get("sessionExpiryInterval").asLong()).isEqualTo(120);
        assertThat(d.get("cleanStart").asBoolean()).isTrue();
        assertThat(d.get("queued").asInt()).isZero();
        assertThat(d.get("inflight").asInt()).isZero();
        JsonNode subs = d.get("subscriptions");
        assertThat(subs).hasSize(2);
        assertThat(subs.get(0).get("filter").asText()).isEqualTo("$share/g/details/#");
        assertThat(subs.get(0).get("qos").asInt()).isEqualTo(2);
        assertThat(subs.get(1).get("filter").asText()).isEqualTo("details/+/temp");
        assertThat(subs.get(1).get("noLocal").asBoolean()).isTrue();

        assertThat(http().get("/api/v1/subscriptions?clientId=details*").json().get("total").asInt()).isEqualTo(2);
        JsonNode topics = http().get("/api/v1/topics?matching=details/kitchen/temp").json();
        assertThat(topics.get("items")).extracting(t -> t.get("filter").asText())
                .containsExactly("$share/g/details/#", "details/+/temp");
        assertThat(http().get("/api/v1/topics?matching=a/%23").json().get("detail").asText())
                .contains("contains the wildcard '#'");

        AdminHttp.Answer missing = http().get("/api/v1/clients/nobody");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("detail").asText()).isEqualTo("no session of client id 'nobody'");
    }

    @Test
    void aDisconnectReachesTheClientWithItsReasonCodeAndTheSessionStays() throws Exception {
        CompletableFuture<Throwable> gone = new CompletableFuture<>();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("kick-me").serverHost("127.0.0.1")
                .serverPort(BROKER.port()).addDisconnectedListener(ctx -> gone.complete(ctx.getCause())).buildBlocking();
        c.connectWith().sessionExpiryInterval(600).send();
        AdminHttp.Answer a = http().post("/api/v1/clients/kick-me/disconnect",
                "{\"reasonCode\": 156, \"reason\": \"moving you to another node\"}");
        assertThat(a.status()).isEqualTo(204);
        Throwable cause = gone.get(10, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        var disconnect = ((Mqtt5DisconnectException) cause).getMqttMessage();
        assertThat(disconnect.getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.USE_ANOTHER_SERVER);
        assertThat(disconnect.getReasonString()).hasValue(
                com.hivemq.client.mqtt.datatypes.MqttUtf8String.of("moving you to another node"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !BROKER.broker().sessions().get("kick-me").online());
        assertThat(http().get("/api/v1/clients/kick-me").json().get("connected").asBoolean()).isFalse();

        AdminHttp.Answer again = http().post("/api/v1/clients/kick-me/disconnect", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).isEqualTo("client 'kick-me' is not connected (its session is kept)");
    }

    @Test
    void aReasonCodeAServerMayNotSendIsRefusedWithTheAllowedOnes() {
        v5("kick-bad", 0);
        AdminHttp.Answer a = http().post("/api/v1/clients/kick-bad/disconnect", "{\"reasonCode\": 4}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("detail").asText()).startsWith("invalid reasonCode '0x04': a DISCONNECT reason code a"
                + " server may send: 0x00, 0x80,").contains("0x98").endsWith("(default 0x98, Administrative action)");
        assertThat(http().post("/api/v1/clients/kick-bad/disconnect", "{\"reasonCode\": \"x\"}").json()
                .get("detail").asText()).isEqualTo("invalid reasonCode '\"x\"': an integer from 0 to 255");
        assertThat(BROKER.broker().sessions().get("kick-bad").online()).isTrue();
    }

    @Test
    void aDeletedSessionGoesWithItsSubscriptionsAndQueue() {
        Mqtt5BlockingClient c = v5("delete-me", 3600);
        c.subscribeWith().topicFilter("delete/me").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        Mqtt5BlockingClient p = v5("delete-publisher", 0);
        p.publishWith().topic("delete/me").qos(MqttQos.AT_LEAST_ONCE).payload("queued".getBytes()).send();
        await().until(() -> http().get("/api/v1/clients/delete-me").json().get("queued").asInt() == 1);

        assertThat(http().delete("/api/v1/sessions/delete-me").status()).isEqualTo(204);
        await().until(() -> BROKER.broker().sessions().get("delete-me") == null);
        assertThat(http().get("/api/v1/subscriptions?clientId=delete-me").json().get("total").asInt()).isZero();
        assertThat(http().delete("/api/v1/sessions/delete-me").status()).isEqualTo(404);

        // A connected client's session: it is disconnected with 0x98, and the session ends with it.
        CompletableFuture<Throwable> gone = new CompletableFuture<>();
        Mqtt5BlockingClient live = MqttClient.builder().useMqttVersion5().identifier("delete-live")
                .serverHost("127.0.0.1").serverPort(BROKER.port())
                .addDisconnectedListener(ctx -> gone.complete(ctx.getCause())).buildBlocking();
        live.connectWith().sessionExpiryInterval(3600).send();
        assertThat(http().delete("/api/v1/sessions/delete-live").status()).isEqualTo(204);
        assertThat(gone.join()).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) gone.join()).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
        await().until(() -> BROKER.broker().sessions().get("delete-live") == null);
    }

    @Test
    void a311ClientIsDisconnectedByClosingItsConnection() {
        CompletableFuture<Throwable> gone = new CompletableFuture<>();
        Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier("kick-311").serverHost("127.0.0.1")
                .serverPort(BROKER.port()).addDisconnectedListener(ctx -> gone.complete(ctx.getCause())).buildBlocking();
        c.connect();
        assertThat(http().post("/api/v1/clients/kick-311/disconnect", "{}").status()).isEqualTo(204);
        assertThat(gone.join()).isNotNull();
        await().until(() -> BROKER.broker().sessions().get("kick-311") == null);
    }
}
