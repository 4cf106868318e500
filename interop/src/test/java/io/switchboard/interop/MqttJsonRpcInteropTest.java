package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.ResponderException;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.WireFormat;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MosquittoExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON-RPC 2.0 between Switchboard's RPC library ({@link WireFormat#JSON_RPC}) and the npm package
 * {@code mqtt-json-rpc} (the version {@code src/test/node/package.json} pins, under Node.js), both
 * ways, on Switchboard and on Mosquitto: a Switchboard caller calls an mqtt-json-rpc responder
 * ({@code jsonrpc-responder.js}), and an mqtt-json-rpc caller calls a Switchboard responder
 * ({@code jsonrpc-caller.js}).
 */
class MqttJsonRpcInteropTest {
    @RegisterExtension
    static final EmbeddedBroker SWITCHBOARD = new EmbeddedBroker();

    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = new MosquittoExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXIT = Duration.ofSeconds(40);

    @BeforeAll
    static void mqttJsonRpcIsInstalled() {
        if (!Files.isRegularFile(MqttJsInteropTest.NODE_PROJECT.resolve("node_modules/mqtt-json-rpc/package.json"))) {
            throw new AssertionError("mqtt-json-rpc is not installed in interop/src/test/node/node_modules. From the"
                    + " repository root run ./test (it installs it), or: (cd interop/src/test/node && npm ci)");
        }
    }

    private static String host(String broker) {
        return broker.equals("switchboard") ? SWITCHBOARD.host() : MOSQUITTO.host();
    }

    private static int port(String broker) {
        return broker.equals("switchboard") ? SWITCHBOARD.port() : MOSQUITTO.port();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"switchboard", "mosquitto"})
    void aSwitchboardCallerCallsAnMqttJsonRpcResponder(String broker) throws Exception {
        String url = "mqtt://" + host(broker) + ":" + port(broker);
        try (Proc node = Proc.start(MqttJsInteropTest.NODE_PROJECT.toFile(),
                List.of("node", "jsonrpc-responder.js", "--url", url, "--max-seconds", "60"));
                RpcClient caller = RpcClient.builder().host(host(broker)).port(port(broker))
                        .wireFormat(WireFormat.JSON_RPC).connect()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.stdout().contains("READY") || !node.isAlive());
            assertThat(node.stdout()).as(node.describe()).contains("READY");
            CallOptions qos2 = CallOptions.defaults().withQos(2); // as mqtt-json-rpc's own callers send
            assertThat(caller.callBlocking("example/hello", utf8("[\"world\",42]"), qos2).payloadAsString())
                    .isEqualTo("\"Hello world:42\"");
            assertThat(caller.callJson("t/add", List.of(1, 2, 3.5), Double.class, CallOptions.defaults()).join())
                    .isEqualTo(6.5);
            assertThat(caller.callBlocking("t/nothing", new byte[0], CallOptions.defaults()).payloadAsString())
                    .isEqualTo("null");
            // mqtt-json-rpc turns a thrown Error into code -100 with the Error's toString() as message.
            assertThatThrownBy(() -> caller.callBlocking("t/boom", new byte[0], CallOptions.defaults()))
                    .isInstanceOfSatisfying(ResponderException.class, e -> {
                        assertThat(e.code()).isEqualTo("-100");
                        assertThat(e.errorMessage()).isEqualTo("Error: boom");
                    });
            assertThat(caller.stats().droppedReplies()).isZero();
            assertThat(node.isAlive()).as("the responder survived every call; %s", node.describe()).isTrue();
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"switchboard", "mosquitto"})
    void anMqttJsonRpcCallerCallsASwitchboardResponder(String broker) throws Exception {
        try (RpcClient responder = RpcClient.builder().host(host(broker)).port(port(broker))
                .wireFormat(WireFormat.JSON_RPC).connect()) {
            responder.serve("java/greet", r -> {
                JsonNode params = r.json(JsonNode.class);
                return Response.json("Hello " + params.get(0).asText() + ":" + params.get(1).asInt());
            });
            responder.serve("java/sum", r -> {
                double sum = 0;
                for (JsonNode n : r.json(JsonNode.class)) {
                    sum += n.asDouble();
                }
                return Response.json(sum);
            });
            responder.serve("java/echo", r -> Response.of(r.payload()));
            responder.serve("java/declines", r -> Response.error("-32001", "not today"));
            responder.serve("java/throws", r -> {
                throw new IllegalStateException("the motor is stuck");
            });
            String url = "mqtt://" + host(broker) + ":" + port(broker);
            try (Proc node = Proc.start(MqttJsInteropTest.NODE_PROJECT.toFile(),
                    List.of("node", "jsonrpc-caller.js", "--url", url))) {
                List<String> out = node.awaitSuccess(EXIT);
                JsonNode result = JSON.readTree(out.get(out.size() - 1));
                JsonNode o = result.get("outcomes");
                assertThat(o.get("greet").toString()).isEqualTo("{\"result\":\"Hello world:42\"}");
                assertThat(o.get("sum").toString()).isEqualTo("{\"result\":6.5}");
                assertThat(o.get("object").toString()).isEqualTo("{\"result\":[{\"door\":\"front\",\"open\":true}]}");
                assertThat(o.get("empty").toString()).isEqualTo("{\"result\":[]}");
                assertThat(o.get("declined").toString()).isEqualTo(
                        "{\"error\":{\"message\":\"not today\",\"code\":-32001}}");
                // A handler's exception: JSON-RPC's "server error" code, the string code in data.
                assertThat(o.get("throws").toString()).isEqualTo("{\"error\":{\"message\":\"IllegalStateException: "
                        + "the motor is stuck\",\"code\":-32000,\"data\":{\"code\":\"handler-error\"}}}");
            }
        }
    }
}
