package io.switchboard.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} after real traffic (the HiveMQ MQTT Client, QoS 0, 1 and 2): every family the
 * operations guide lists is there, with the values the traffic made, and the scrape parses without
 * a format error with the Prometheus client library's own parsers, in text format 0.0.4 and in
 * OpenMetrics (Debian's python3-prometheus-client, installed by ./test).
 */
class MetricsTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, type: tcp, port: 0}
            http: {port: 0}
            """);

    @TempDir
    Path dir;

    /** Family name and type, as the parser read them. */
    Map<String, String> parse(String format, String scrape) throws IOException, InterruptedException {
        Path script = dir.resolve("check_metrics.py");
        try (InputStream in = MetricsTest.class.getResourceAsStream("/check_metrics.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path input = dir.resolve("scrape-" + format + ".txt");
        Files.writeString(input, scrape);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), format).redirectInput(input.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the Prometheus parser (%s) on the scrape: %s", format, out).isZero();
        Map<String, String> families = new HashMap<>();
        out.lines().map(l -> l.split(" ")).forEach(f -> families.put(f[0], f[1]));
        return families;
    }

    @Test
    void theScrapeHasEveryFamilyAndParses() throws Exception {
        Mqtt5BlockingClient sub = MqttClient.builder().useMqttVersion5().identifier("metrics-sub")
                .serverHost("127.0.0.1").serverPort(BROKER.port()).buildBlocking();
        sub.connect();
        Mqtt5BlockingClient pub = MqttClient.builder().useMqttVersion5().identifier("metrics-pub")
                .serverHost("127.0.0.1").serverPort(BROKER.port()).buildBlocking();
        pub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("metrics/#").qos(MqttQos.EXACTLY_ONCE).send();
            for (MqttQos qos : MqttQos.values()) {
                pub.publishWith().topic("metrics/" + qos).qos(qos).payload("12345".getBytes(UTF_8)).send();
                in.receive(10, TimeUnit.SECONDS).orElseThrow();
            }
        } finally {
            sub.disconnect();
            pub.disconnect();
        }
        AdminHttp h = new AdminHttp(BROKER.broker().httpPort());
        await().until(() -> h.get("/metrics").text().contains("switchboard_clients_connected 0.0"));
        AdminHttp.Answer text = h.get("/metrics");
        assertThat(text.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String scrape = text.text();
        assertThat(scrape)
                .contains("switchboard_connections_opened_total 2.0")
                .contains("switchboard_messages_received_total{qos=\"0\"} 1.0")
                .contains("switchboard_messages_received_total{qos=\"1\"} 1.0")
                .contains("switchboard_messages_received_total{qos=\"2\"} 1.0")
                .contains("switchboard_messages_sent_total{qos=\"2\"} 1.0")
                .contains("switchboard_payload_received_bytes_total{qos=\"1\"} 5.0")
                .contains("switchboard_deliveries_total 3.0")
                .contains("switchboard_messages_inflight 0.0")
                .contains("switchboard_publish_delivery_latency_seconds_count 3")
                .contains("switchboard_publish_delivery_latency_seconds_bucket{le=\"+Inf\"} 3")
                .contains("switchboard_sessions{state=\"offline\"} 0.0")
                .contains("switchboard_messages_dropped_total{reason=\"queue_full\"} 0.0")
                .contains("switchboard_rpc_broker_replies_total{reason=\"no_responder\"} 0.0");
        Map<String, String> families = parse("text", scrape);
        assertThat(families).containsEntry("switchboard_clients_connected", "gauge")
                .containsEntry("switchboard_connections_opened", "counter")
                .containsEntry("switchboard_connections_rejected", "counter")
                .containsEntry("switchboard_sessions", "gauge")
                .containsEntry("switchboard_subscriptions", "gauge")
                .containsEntry("switchboard_retained_messages", "gauge")
                .containsEntry("switchboard_messages_received", "counter")
                .containsEntry("switchboard_messages_sent", "counter")
                .containsEntry("switchboard_messages_dropped", "counter")
                .containsEntry("switchboard_messages_queued", "gauge")
                .containsEntry("switchboard_messages_inflight", "gauge")
                .containsEntry("switchboard_payload_received_bytes", "counter")
                .containsEntry("switchboard_payload_sent_bytes", "counter")
                .containsEntry("switchboard_deliveries", "counter")
                .containsEntry("switchboard_publish_delivery_latency_seconds", "histogram")
                .containsEntry("switchboard_storage_write_seconds", "histogram")
                .containsEntry("switchboard_storage_group_batches", "histogram")
                .containsEntry("switchboard_network_received_bytes", "counter")
                .containsEntry("switchboard_rpc_requests", "counter")
                .containsEntry("switchboard_rpc_broker_replies", "counter")
                .containsEntry("jvm_memory_used_bytes", "gauge")
                .containsEntry("jvm_gc_max_data_size_bytes", "gauge")
                .containsEntry("netty_direct_memory_used_bytes", "gauge")
                .containsKey("netty_allocator_memory_used");

        AdminHttp.Answer open = h.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(open.header("Content-Type")).startsWith("application/openmetrics-text");
        assertThat(open.text()).endsWith("# EOF\n");
        assertThat(parse("openmetrics", open.text())).containsKey("switchboard_messages_received");
    }
}
