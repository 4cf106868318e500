package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.interop.SecureListeners.RecordingAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MQTT.js (the npm package {@code mqtt}, pinned in {@code src/test/node/package.json}) under Node.js
 * against the broker over TCP, TLS, WebSocket and WebSocket over TLS: it connects with MQTT 5,
 * subscribes, publishes at QoS 1 to itself with user properties, a response topic and correlation
 * data, and reports in one JSON line what came back ({@code src/test/node/roundtrip.js}).
 */
class MqttJsInteropTest {
    /** The node project, relative to this module (the tests' working directory). */
    static final Path NODE_PROJECT = Path.of("src", "test", "node");

    static final TestPki pki = TestPki.create();
    static final RecordingAuthenticator auth = new RecordingAuthenticator();

    @RegisterExtension
    static EmbeddedBroker broker = SecureListeners.broker(pki, auth);

    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void mqttJsIsInstalled() {
        if (!Files.isRegularFile(NODE_PROJECT.resolve("node_modules/mqtt/package.json"))) {
            throw new AssertionError("MQTT.js is not installed in interop/src/test/node/node_modules. From the"
                    + " repository root run ./test (it installs it), or: (cd interop/src/test/node && npm ci)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "mqtt,  default, tcp, false",
            "mqtts, tls,     tls, true",
            "ws,    ws,      ws,  false",
            "wss,   wss,     wss, true"})
    void publishesToItselfWithRequestResponseProperties(String scheme, String listener, String transport,
            boolean clientCertificate) throws Exception {
        String clientId = "mqttjs-" + scheme + "-" + UUID.randomUUID().toString().substring(0, 8);
        String url = scheme + "://127.0.0.1:" + broker.port(listener) + (scheme.startsWith("ws") ? "/mqtt" : "");
        List<String> cmd = new ArrayList<>(List.of("node", "roundtrip.js", "--url", url, "--client-id", clientId));
        if (scheme.endsWith("s")) {
            cmd.addAll(List.of("--ca", pki.ca().certificate().toAbsolutePath().toString()));
        }
        if (clientCertificate) {
            cmd.addAll(List.of("--cert", pki.client().certificate().toAbsolutePath().toString(), "--key",
                    pki.client().key().toAbsolutePath().toString()));
        }
        try (Proc node = Proc.start(NODE_PROJECT.toFile(), cmd)) {
            int code = node.awaitExit(EXIT);
            List<String> out = node.stdout();
            assertThat(out).as("one JSON line from %s; %s", cmd, node.describe()).isNotEmpty();
            JsonNode result = JSON.readTree(out.get(out.size() - 1));
            assertThat(result.get("errors")).as("errors reported by MQTT.js; %s", node.describe()).isEmpty();
            assertThat(result.get("ok").asBoolean()).isTrue();
            assertThat(code).isZero();

            JsonNode received = result.get("received");
            assertThat(received.get("payload").asText()).startsWith("hello from MQTT.js ");
            assertThat(received.get("qos").asInt()).isEqualTo(1);
            assertThat(received.get("userProperties").toString()).isEqualTo("{\"region\":\"eu\",\"tag\":[\"a\",\"b\"]}");
            assertThat(received.get("responseTopic").asText()).startsWith("mqttjs/reply/");
            assertThat(received.get("correlationData").asText()).startsWith("corr-");
            assertThat(result.at("/connack/reasonCode").asInt()).isZero();
        }

        ConnectAttempt a = auth.of(clientId);
        assertThat(a.transport()).isEqualTo(transport);
        assertThat(a.protocolVersion()).isEqualTo("5.0");
        assertThat(a.certificateName()).isEqualTo(clientCertificate ? TestPki.CLIENT_NAME : null);
    }
}
