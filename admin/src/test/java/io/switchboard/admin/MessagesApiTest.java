package io.switchboard.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publishing through the admin API with every MQTT 5 property, as a real subscriber (the HiveMQ MQTT
 * Client) receives it; retained messages listed, read and deleted; every bad field named.
 */
class MessagesApiTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, type: tcp, port: 0}
            http: {port: 0}
            """);

    AdminHttp http() {
        return new AdminHttp(BROKER.broker().httpPort());
    }

    Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(BROKER.port()).buildBlocking();
        c.connect();
        return c;
    }

    @Test
    void aPublishCarriesEveryPropertyToSubscribers() throws Exception {
        Mqtt5BlockingClient sub = client("props-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("props/#").qos(MqttQos.EXACTLY_ONCE).send();
            AdminHttp.Answer a = http().post("/api/v1/publish", """
                    {"topic": "props/x", "payload": "{\\"t\\": 21.5}", "qos": 2,
                     "payloadFormatIndicator": 1, "contentType": "application/json",
                     "responseTopic": "props/reply", "correlationDataBase64": "AAEC/w==",
                     "messageExpiryInterval": 600,
                     "userProperties": [{"name": "vendor", "value": "acme"}, {"name": "vendor", "value": "Ü"}]}
                    """);
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            assertThat(a.json().get("deliveries").asInt()).isEqualTo(1);
            Mqtt5Publish p = in.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(p.getPayloadAsBytes(), UTF_8)).isEqualTo("{\"t\": 21.5}");
            assertThat(p.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(p.getPayloadFormatIndicator()).hasValue(Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(p.getContentType().orElseThrow().toString()).isEqualTo("application/json");
            assertThat(p.getResponseTopic().orElseThrow().toString()).isEqualTo("props/reply");
            byte[] correlation = new byte[p.getCorrelationData().orElseThrow().remaining()];
            p.getCorrelationData().orElseThrow().get(correlation);
            assertThat(correlation).containsExactly(0, 1, 2, 0xFF);
            assertThat(p.getMessageExpiryInterval().orElseThrow()).isBetween(595L, 600L);
            assertThat(p.getUserProperties().asList()).extracting(u -> u.getName() + "=" + u.getValue())
                    .containsExactly("vendor=acme", "vendor=Ü");
        } finally {
            sub.disconnect();
        }
    }

    @Test
    void retainedMessagesAreListedReadAndDeleted() throws Exception {
        Mqtt5BlockingClient pub = client("retained-pub");
        pub.publishWith().topic("ret/a").retain(true).payload(new byte[] {0, (byte) 0xFF, 7})
                .contentType("application/octet-stream").send();
        pub.publishWith().topic("ret/b").retain(true).payload("hello".getBytes(UTF_8)).send();
        pub.disconnect();
        AdminHttp h = http();
        JsonNode list = h.get("/api/v1/retained?filter=ret/%23").json();
        assertThat(list.get("total").asInt()).isEqualTo(2);
        assertThat(list.get("items").get(0).get("topic").asText()).isEqualTo("ret/a");
        assertThat(list.get("items").get(0).get("payloadBytes").asInt()).isEqualTo(3);
        assertThat(list.get("items").get(0).get("contentType").asText()).isEqualTo("application/octet-stream");

        JsonNode binary = h.get("/api/v1/retained/message?topic=ret/a").json();
        assertThat(Base64.getDecoder().decode(binary.get("payload").asText())).containsExactly(0, 0xFF, 7);
        assertThat(binary.get("payloadText").isNull()).isTrue();
        assertThat(h.get("/api/v1/retained/message?topic=ret/b").json().get("payloadText").asText()).isEqualTo("hello");

        assertThat(h.delete("/api/v1/retained/message?topic=ret/a").status()).isEqualTo(204);
        assertThat(h.get("/api/v1/retained/message?topic=ret/a").status()).isEqualTo(404);
        assertThat(h.delete("/api/v1/retained/message?topic=ret/a").json().get("detail").asText())
                .isEqualTo("no retained message on topic 'ret/a'");
        Mqtt5BlockingClient late = client("retained-late");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = late.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter("ret/#").send();
            Mqtt5Publish only = in.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(only.getTopic().toString()).isEqualTo("ret/b"); // ret/a is gone for new subscribers too
        } finally {
            late.disconnect();
        }
        assertThat(h.get("/api/v1/retained/message").json().get("detail").asText()).isEqualTo("invalid topic: required");
        assertThat(h.get("/api/v1/retained?filter=a/%23/b").json().get("detail").asText())
                .contains("'#' is not the last level");
    }

    @Test
    void everyBadFieldOfAPublishIsNamed() {
        AdminHttp h = http();
        assertThat(detail(h, "{\"payload\": \"x\"}")).isEqualTo("invalid topic: required: a topic name");
        assertThat(detail(h, "{\"topic\": \"a/+\"}")).contains("contains the wildcard '+'");
        assertThat(detail(h, "{\"topic\": \"$SYS/broker/x\"}")).contains("$SYS/ topics are the broker's own");
        assertThat(detail(h, "{\"topic\": \"a\\u0000b\"}")).contains("U+0000");
        assertThat(detail(h, "{\"topic\": \"a\\ud800\"}")).contains("lone UTF-16 surrogate");
        assertThat(detail(h, "{\"topic\": \"a\", \"qos\": 3}")).isEqualTo("invalid qos '3': an integer from 0 to 2");
        assertThat(detail(h, "{\"topic\": \"a\", \"payloadBase64\": \"***\"}")).startsWith("invalid payloadBase64: base64");
        assertThat(detail(h, "{\"topic\": \"a\", \"payload\": \"x\", \"payloadBase64\": \"eA==\"}"))
                .contains("give payload or payloadBase64, not both");
        assertThat(detail(h, "{\"topic\": \"a\", \"payloadBase64\": \"/w==\", \"payloadFormatIndicator\": 1}"))
                .contains("the payload is not well-formed UTF-8");
        assertThat(detail(h, "{\"topic\": \"a\", \"colour\": \"red\"}")).startsWith("invalid colour: unknown field;");
        assertThat(detail(h, "{\"topic\": \"a\", \"userProperties\": [{\"name\": \"n\"}]}"))
                .contains("each has a name and a value");
        assertThat(detail(h, "{\"topic\": \"a\", \"messageExpiryInterval\": -1}"))
                .isEqualTo("invalid messageExpiryInterval '-1': an integer from 0 to 4294967295");
        assertThat(detail(h, "[1, 2]")).isEqualTo("the body must be a JSON object");
    }

    private static String detail(AdminHttp h, String body) {
        AdminHttp.Answer a = h.post("/api/v1/publish", body);
        assertThat(a.status()).as(body).isEqualTo(400);
        assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
        return a.json().get("detail").asText();
    }
}
