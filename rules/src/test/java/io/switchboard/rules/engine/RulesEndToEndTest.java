package io.switchboard.rules.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules on a real broker, with real clients (the HiveMQ MQTT Client): the seed's rule normalising
 * three vendors' sensors by their Content-Type user property, republished with MQTT 5 headers; a
 * republished message never comes back to the rules; a rules file refused whole with its place.
 */
class RulesEndToEndTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(c -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        if (broker != null) {
            broker.close();
        }
    }

    EmbeddedBroker start(String rules) throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules);
        broker = EmbeddedBroker.fromYaml("""
                listeners: [{name: default, type: tcp, port: 0}]
                rules: {file: "%s", reloadCheckSeconds: 0}
                """.formatted(file));
        broker.start();
        return broker;
    }

    Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        c.connect();
        clients.add(c);
        return c;
    }

    static final String SEED = """
            rules:
              - name: normalise
                sql: >-
                  SELECT CASE nanvl(get_user_property("Content-Type"), "text/plain")
                  WHEN "base64" THEN decode(*, "base64") ELSE * END AS sensor_value,
                  topic(3) AS sensor FROM 'sensors/#'
                actions:
                  - republish:
                      topic: 'normalised/${topic(2)}/${topic(3)}'
                      qos: 1
                      responseTopic: 'ops/${clientid()}'
                      correlationData: '${topic(3)}'
                      messageExpiryInterval: 600
                      userProperties: [{name: source-rule, value: normalise}, {name: vendor-client, value: '${clientid()}'}]
            """;

    @Test
    void theSeedsRuleNormalisesEveryVendorsSensorWithMqtt5Headers() throws Exception {
        start(SEED);
        Mqtt5BlockingClient backend = client("backend");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = backend.publishes(MqttGlobalPublishFilter.ALL)) {
            backend.subscribeWith().topicFilter("normalised/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient vendors = client("gateway01");
            // The aws-samples aws-iot-mqttv5-examples user-property scenario: plain, base64, no property.
            vendors.publishWith().topic("sensors/gateway01/sensor01").payload("23.4".getBytes(UTF_8)).userProperties()
                    .add("Content-Type", "text/plain").add("Hardware-Revision", "brandX-rev1.17c").applyUserProperties()
                    .send();
            vendors.publishWith().topic("sensors/gateway01/sensor02").payload("MjMuNw==".getBytes(UTF_8))
                    .userProperties().add("Content-Type", "base64").add("Hardware-Manufacturer", "brandX-rev8.2")
                    .applyUserProperties().send();
            vendors.publishWith().topic("sensors/gateway01/sensor03").payload("24.4".getBytes(UTF_8)).send();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Mqtt5Publish p = in.receive(10, TimeUnit.SECONDS).orElseThrow();
                got.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), UTF_8));
                assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
                assertThat(p.getContentType().orElseThrow().toString()).isEqualTo("application/json");
                assertThat(p.getResponseTopic().orElseThrow().toString()).isEqualTo("ops/gateway01");
                assertThat(new String(bytes(p.getCorrelationData().orElseThrow()), UTF_8))
                        .isEqualTo(p.getTopic().getLevels().get(2));
                assertThat(p.getMessageExpiryInterval().orElseThrow()).isBetween(595L, 600L);
                assertThat(p.getUserProperties().asList()).extracting(u -> u.getName() + "=" + u.getValue())
                        .containsExactly("source-rule=normalise", "vendor-client=gateway01");
            }
            assertThat(got).containsExactlyInAnyOrder(
                    "normalised/gateway01/sensor01 {\"sensor_value\":23.4,\"sensor\":\"sensor01\"}",
                    "normalised/gateway01/sensor02 {\"sensor_value\":23.7,\"sensor\":\"sensor02\"}",
                    "normalised/gateway01/sensor03 {\"sensor_value\":24.4,\"sensor\":\"sensor03\"}");
        }
        CompiledRule rule = broker.broker().extension(RulesService.class).orElseThrow().engine().rule("normalise");
        assertThat(rule.counters().matched()).isEqualTo(3);
        assertThat(rule.counters().passed()).isEqualTo(3);
        assertThat(rule.counters().actionsSucceeded()).containsEntry("republish", 3L);
    }

    @Test
    void aRepublishedMessageNeverComesBackToTheRules() throws Exception {
        start("""
                rules:
                  - name: echo
                    sql: SELECT * FROM 'loop/#'
                    actions: [{republish: {topic: 'loop/${topic(2)}/again'}}]
                """);
        Mqtt5BlockingClient c = client("looper");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("loop/#").send();
            c.publishWith().topic("loop/a").payload("{\"n\":1}".getBytes(UTF_8)).send();
            assertThat(in.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("loop/a");
            assertThat(in.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("loop/a/again");
            // A marker after: had the republished message re-entered the rules, loop/a/again/again would come first.
            c.subscribeWith().topicFilter("marker").send();
            c.publishWith().topic("marker").payload("m".getBytes(UTF_8)).send();
            Optional<Mqtt5Publish> next = in.receive(10, TimeUnit.SECONDS);
            assertThat(next.orElseThrow().getTopic().toString()).isEqualTo("marker");
        }
        assertThat(broker.broker().extension(RulesService.class).orElseThrow().engine().rule("echo").counters()
                .matched()).isEqualTo(1);
    }

    @Test
    void anInvalidRulesFileStopsTheStartNamingEachProblem() throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, """
                rules:
                  - name: one
                    sql: SELECT a, FROM 'x/#'
                    actions: [{republish: {topic: 'out/${topick()}'}}]
                  - name: two
                    sql: SELECT * FROM 'y/#'
                    actions: [{teleport: {}}]
                """);
        EmbeddedBroker b = EmbeddedBroker.fromYaml("rules: {file: \"" + file + "\"}");
        assertThatThrownBy(b::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.yaml line 2: rule 'one': sql line 1, column 9: expected FROM after the"
                        + " select list, found ','")
                .hasMessageContaining("rules.yaml line 5: rule 'two': unknown action 'teleport'; allowed: republish,"
                        + " http, file");
    }

    @Test
    void aChangedFileIsPutInForceWholeOrNotAtAll() throws Exception {
        start("rules: []\n");
        RulesService service = broker.broker().extension(RulesService.class).orElseThrow();
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: good
                    sql: SELECT * FROM 'a/#'
                    actions: [{republish: {topic: b}}]
                  - name: bad
                    sql: SELECT FROM 'a/#'
                    actions: [{republish: {topic: c}}]
                """);
        RulesService.Reload refused = service.reload();
        assertThat(refused.applied()).isFalse();
        assertThat(refused.message()).contains("rule 'bad': sql line 1, column 8: the select list is empty");
        assertThat(service.engine().rules()).isEmpty();
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: good
                    sql: SELECT * FROM 'a/#'
                    actions: [{republish: {topic: b}}]
                """);
        assertThat(service.reload().applied()).isTrue();
        assertThat(service.engine().rules()).extracting(CompiledRule::name).containsExactly("good");

        // Disabling a rule keeps it, its actions and its counters; changing its SQL starts it anew.
        CompiledRule good = service.engine().rule("good");
        good.counters().matched.increment();
        service.put(new RuleSpec("good", good.spec().sql(), false, good.spec().actions(), null, 0));
        assertThat(service.engine().rule("good").spec().enabled()).isFalse();
        assertThat(service.engine().rule("good").counters().matched()).isEqualTo(1);
        service.put(new RuleSpec("good", "SELECT * FROM 'a/b'", true, good.spec().actions(), null, 0));
        assertThat(service.engine().rule("good").counters().matched()).isZero();
    }

    static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
