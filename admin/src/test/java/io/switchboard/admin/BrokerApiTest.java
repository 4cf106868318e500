package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.switchboard.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker as a whole through the API, without sign-in (loopback): who am I, info, counters. */
class BrokerApiTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, type: tcp, port: 0}
              - {name: web, type: ws, port: 0, path: /ws}
            http: {port: 0}
            """);

    AdminHttp http() {
        return new AdminHttp(BROKER.broker().httpPort());
    }

    @Test
    void withoutUsersTheLocalCallerIsAdmin() {
        JsonNode me = http().get("/api/v1/whoami").json();
        assertThat(me.get("signInRequired").asBoolean()).isFalse();
        assertThat(me.get("role").asText()).isEqualTo("admin");
        assertThat(me.get("via").asText()).isEqualTo("local");
        assertThat(http().post("/api/v1/login", "{\"username\":\"a\",\"password\":\"b\"}").json().get("detail").asText())
                .startsWith("no one signs in here");
    }

    @Test
    void infoNamesTheListenersWithTheirPorts() {
        JsonNode info = http().get("/api/v1/broker").json();
        assertThat(info.get("listeners")).extracting(l -> l.get("name").asText() + " " + l.get("type").asText() + " "
                + l.get("port").asInt() + " " + l.get("path").asText())
                .containsExactly("default tcp " + BROKER.port() + " null", "web ws " + BROKER.port("web") + " /ws");
        assertThat(info.get("storage").asText()).isNotEmpty();
        assertThat(info.get("uptimeSeconds").asLong()).isNotNegative();
    }

    @Test
    void statsCountWhatHappened() {
        JsonNode before = http().get("/api/v1/stats").json();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("stats-client").serverHost("127.0.0.1")
                .serverPort(BROKER.port()).buildBlocking();
        c.connect();
        try {
            c.subscribeWith().topicFilter("stats/#").send();
            c.publishWith().topic("stats/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[10]).send();
            await().until(() -> http().get("/api/v1/stats").json().get("messages").get("sent").asLong()
                    > before.get("messages").get("sent").asLong());
            JsonNode now = http().get("/api/v1/stats").json();
            assertThat(now.get("connections").get("current").asLong()).isEqualTo(1);
            assertThat(now.get("sessions").get("online").asLong()).isEqualTo(1);
            assertThat(now.get("subscriptions").asLong()).isEqualTo(1);
            assertThat(now.get("messages").get("received").asLong() - before.get("messages").get("received").asLong())
                    .isEqualTo(1);
            assertThat(now.get("bytes").get("received").asLong()).isGreaterThan(before.get("bytes").get("received").asLong());
        } finally {
            c.disconnect();
        }
    }
}
