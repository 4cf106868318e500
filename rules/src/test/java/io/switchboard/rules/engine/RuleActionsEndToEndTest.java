package io.switchboard.rules.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.testkit.EmbeddedBroker;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http and file actions and the error action on a real broker with a real client: an endpoint (a
 * JDK HttpServer on loopback) that fails twice and then takes the output, one that always fails, so
 * that the error action's file gets the record; a statement that cannot read a binary payload.
 */
class RuleActionsEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer endpoint;
    EmbeddedBroker broker;
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicInteger flakyCalls = new AtomicInteger();

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (endpoint != null) {
            endpoint.stop(0);
        }
    }

    @Test
    void httpRetriesTheFileTakesOutputsAndTheErrorActionGetsEveryFailure() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/flaky", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int n = flakyCalls.incrementAndGet();
            if (n <= 2) {
                exchange.sendResponseHeaders(503, -1); // twice unavailable, then it takes it
            } else {
                received.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("X-Device")
                        + " " + new String(body, UTF_8));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        endpoint.createContext("/down", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        endpoint.start();
        int port = endpoint.getAddress().getPort();
        Path out = dir.resolve("out/readings.jsonl");
        Path errors = dir.resolve("errors.jsonl");
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: forward
                    sql: SELECT t, topic(2) AS device FROM 'readings/+'
                    actions:
                      - http: {url: 'http://127.0.0.1:%d/flaky/${topic(2)}', headers: {X-Device: '${topic(2)}'}, backoffMillis: 10}
                      - file: {path: '%s'}
                    errorAction:
                      file: {path: '%s'}
                  - name: broken
                    sql: SELECT t FROM 'readings/+'
                    actions:
                      - http: {url: 'http://127.0.0.1:%d/down', retries: 1, backoffMillis: 10}
                    errorAction:
                      file: {path: '%s'}
                """.formatted(port, out, errors, port, errors));
        broker = EmbeddedBroker.fromYaml("""
                listeners: [{name: default, type: tcp, port: 0}]
                rules: {file: "%s", reloadCheckSeconds: 0}
                """.formatted(dir.resolve("rules.yaml")));
        broker.start();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("device-7").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connect();
        try {
            c.publishWith().topic("readings/d7").payload("{\"t\": 21.5}".getBytes(UTF_8)).send();
            c.publishWith().topic("readings/d8").payload(new byte[] {(byte) 0xFF, 0x00}).send(); // not JSON
        } finally {
            c.disconnect();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
        assertThat(received).containsExactly("/flaky/d7 d7 {\"t\":21.5,\"device\":\"d7\"}");
        assertThat(flakyCalls.get()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out) && Files.readAllLines(out).size() == 1);
        assertThat(Files.readAllLines(out)).containsExactly("{\"t\":21.5,\"device\":\"d7\"}");

        // Errors: 'broken' could not deliver d7 (500 twice); both rules could not read d8's binary payload.
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(errors) && Files.readAllLines(errors).size() == 3);
        List<JsonNode> records = Files.readAllLines(errors).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
        JsonNode http = records.stream().filter(r -> r.get("failedAction").asText().equals("http")).findFirst()
                .orElseThrow();
        assertThat(http.get("rule").asText()).isEqualTo("broken");
        assertThat(http.get("topic").asText()).isEqualTo("readings/d7");
        assertThat(http.get("clientId").asText()).isEqualTo("device-7");
        assertThat(new String(Base64.getDecoder().decode(http.get("payloadBase64").asText()), UTF_8))
                .isEqualTo("{\"t\": 21.5}");
        assertThat(http.get("error").asText()).contains("500").contains("2 attempts");
        assertThat(records.stream().filter(r -> r.get("failedAction").asText().equals("sql")))
                .extracting(r -> r.get("rule").asText() + " " + r.get("topic").asText())
                .containsExactlyInAnyOrder("forward readings/d8", "broken readings/d8");
        assertThat(records.stream().filter(r -> r.get("failedAction").asText().equals("sql")).findFirst().orElseThrow()
                .get("payloadBase64").asText()).isEqualTo("/wA=");

        RulesEngine engine = broker.broker().extension(RulesService.class).orElseThrow().engine();
        assertThat(engine.rule("forward").counters().failed()).containsEntry(RuleCounters.PAYLOAD_NOT_JSON, 1L);
        assertThat(engine.rule("broken").counters().actionsFailed()).containsEntry("http", 1L);
        assertThat(engine.rule("forward").counters().actionsSucceeded()).containsEntry("http", 1L)
                .containsEntry("file", 1L);
    }
}
