package io.switchboard.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules through the admin API on a real broker: defined, run on a real client's message, counted in
 * the API and in /metrics, refused with their position, tested against a sample, deleted; the rules
 * file written back.
 */
class RulesApiTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    AdminHttp http;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.fromYaml("""
                listeners: [{name: default, type: tcp, port: 0}]
                rules: {file: "%s", reloadCheckSeconds: 0}
                http: {port: 0}
                """.formatted(dir.resolve("rules.yaml")));
        broker.start();
        http = new AdminHttp(broker.broker().httpPort());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aRuleDefinedThroughTheApiRunsIsCountedAndIsWrittenToTheFile() throws Exception {
        AdminHttp.Answer created = http.put("/api/v1/rules/hot", """
                {"sql": "SELECT temp, topic(2) AS room FROM 'rooms/+/temp' WHERE temp > 30",
                 "actions": [{"republish": {"topic": "alerts/${topic(2)}"}}]}
                """);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(Files.readString(dir.resolve("rules.yaml"))).contains("name: \"hot\"").contains("alerts/${topic(2)}");

        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("rules-api").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("alerts/#").send();
            c.publishWith().topic("rooms/kitchen/temp").payload("{\"temp\": 25}".getBytes(UTF_8)).send();
            c.publishWith().topic("rooms/attic/temp").payload("{\"temp\": 41}".getBytes(UTF_8)).send();
            var p = in.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getTopic().toString()).isEqualTo("alerts/attic");
            assertThat(new String(p.getPayloadAsBytes(), UTF_8)).isEqualTo("{\"temp\":41,\"room\":\"attic\"}");
        } finally {
            c.disconnect();
        }
        JsonNode rule = http.get("/api/v1/rules/hot").json();
        assertThat(rule.get("from").asText()).isEqualTo("rooms/+/temp");
        assertThat(rule.get("counters").get("matched").asLong()).isEqualTo(2);
        assertThat(rule.get("counters").get("passed").asLong()).isEqualTo(1);
        await().until(() -> http.get("/api/v1/rules/hot").json().get("counters").get("actionsSucceeded")
                .path("republish").asLong() == 1);
        String metrics = http.get("/metrics").text();
        assertThat(metrics).contains("switchboard_rule_matched_total{rule=\"hot\"} 2.0")
                .contains("switchboard_rule_passed_total{rule=\"hot\"} 1.0")
                .contains("switchboard_rule_actions_total{action=\"republish\",outcome=\"succeeded\",rule=\"hot\"} 1.0");

        assertThat(http.delete("/api/v1/rules/hot").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/rules").json().get("items")).isEmpty();
        assertThat(Files.readString(dir.resolve("rules.yaml"))).doesNotContain("hot");
    }

    @Test
    void anInvalidRuleIsRefusedWithItsPositionAndNothingChanges() {
        AdminHttp.Answer bad = http.put("/api/v1/rules/typo", """
                {"sql": "SELECT temp, FROM 'rooms/#'", "actions": [{"republish": {"topic": "x"}}]}
                """);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).isEqualTo("rule: rule 'typo': sql line 1, column 12: expected"
                + " FROM after the select list, found ',' (remove the comma before FROM)");
        AdminHttp.Answer action = http.put("/api/v1/rules/typo", """
                {"sql": "SELECT * FROM 'rooms/#'", "actions": [{"http": {"url": "http://127.0.0.1:1/x", "retries": 99}}]}
                """);
        assertThat(action.status()).isEqualTo(400);
        assertThat(action.json().get("detail").asText()).contains("retries").contains("99");
        assertThat(http.get("/api/v1/rules").json().get("items")).isEmpty();
        assertThat(Files.exists(dir.resolve("rules.yaml"))).isFalse();
    }

    @Test
    void aStatementRunsAgainstASampleMessage() {
        JsonNode out = http.post("/api/v1/rules/test", """
                {"sql": "SELECT get_user_property('vendor') AS v, upper(name) AS n FROM 'a/#'",
                 "topic": "a/b", "payload": "{\\"name\\": \\"door\\"}",
                 "userProperties": [{"name": "vendor", "value": "acme"}]}
                """).json();
        assertThat(out.get("result").asText()).isEqualTo("output");
        assertThat(out.get("matches").asBoolean()).isTrue();
        assertThat(out.get("output").toString()).isEqualTo("{\"v\":\"acme\",\"n\":\"DOOR\"}");

        JsonNode invalid = http.post("/api/v1/rules/test", "{\"sql\": \"SELECT nope(1) FROM 'a'\", \"topic\": \"a\"}")
                .json();
        assertThat(invalid.get("result").asText()).isEqualTo("invalid");
        assertThat(invalid.get("errors").get(0).get("line").asInt()).isEqualTo(1);
        assertThat(invalid.get("errors").get(0).get("column").asInt()).isEqualTo(8);
        assertThat(invalid.get("errors").get(0).get("message").asText()).contains("unknown function 'nope'");

        JsonNode failure = http.post("/api/v1/rules/test", "{\"sql\": \"SELECT a FROM 'a'\", \"topic\": \"a\","
                + " \"payloadBase64\": \"/wA=\"}").json();
        assertThat(failure.get("result").asText()).isEqualTo("failure");
        assertThat(failure.get("kind").asText()).isEqualTo("payload_not_json");

        JsonNode none = http.post("/api/v1/rules/test", "{\"sql\": \"SELECT a FROM 'a' WHERE a > 5\", \"topic\": \"a\","
                + " \"payload\": \"{\\\"a\\\": 1}\"}").json();
        assertThat(none.get("result").asText()).isEqualTo("noOutput");
    }
}
