package io.switchboard.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.ResponderException;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code switchboard rpc call} and {@code switchboard rpc serve}, the runnable jar run as a process,
 * against a broker (subclasses: Switchboard and Eclipse Mosquitto), with the library, a hand-made
 * HiveMQ responder and {@code mosquitto_rr} on the other side.
 */
abstract class RpcCommandLineContract {
    private static final Path JAR = Path.of("..", "cli", "target", "switchboard.jar").toAbsolutePath().normalize();
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final AtomicInteger IDS = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();

    abstract String host();

    abstract int port();

    String unique(String topic) {
        return topic + "/" + IDS.incrementAndGet() + "-" + System.nanoTime();
    }

    Proc cli(String... args) {
        assertThat(JAR).as("the runnable jar, built by the cli module").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "rpc"));
        command.add(args[0]);
        command.addAll(List.of("-H", host(), "-p", Integer.toString(port())));
        command.addAll(List.of(args).subList(1, args.length));
        Proc p = Proc.start(command);
        open.add(p);
        return p;
    }

    RpcClient client() {
        RpcClient c = RpcClient.builder().host(host()).port(port()).connect();
        open.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    @Test
    void callPrintsTheReplyAndExits0() {
        String topic = unique("cli-rpc/echo");
        client().serve(topic, r -> Response.of("you said " + r.payloadAsString() + " as "
                + r.userProperty("who").orElse("?")));
        Proc call = cli("call", topic, "hello", "-u", "who=alice");
        assertThat(call.awaitSuccess(EXIT)).containsExactly("you said hello as alice");
    }

    @Test
    void callWithNobodyServingExits4AtOnce() {
        Proc call = cli("call", unique("cli-rpc/nobody"), "x", "--timeout", "10m");
        assertThat(call.awaitExit(EXIT)).isEqualTo(4);
        assertThat(call.stderr()).anySatisfy(l -> assertThat(l).contains("no responder is subscribed to"));
    }

    @Test
    void callWithoutReplyExits3() {
        String topic = unique("cli-rpc/silent");
        client().serveAsync(topic, r -> new CompletableFuture<>(), io.switchboard.rpc.ServeOptions.defaults());
        Proc call = cli("call", topic, "x", "--timeout", "1s");
        assertThat(call.awaitExit(EXIT)).isEqualTo(3);
        assertThat(call.stderr()).anySatisfy(l -> assertThat(l).contains("no reply"));
    }

    @Test
    void callGettingAnErrorReplyExits5WithItsCodeAndMessage() {
        String topic = unique("cli-rpc/jammed");
        client().serve(topic, r -> Response.error("door-jammed", "the bolt did not move"));
        Proc call = cli("call", topic);
        assertThat(call.awaitExit(EXIT)).isEqualTo(5);
        assertThat(call.stderr()).contains("switchboard rpc call: the responder answered with error door-jammed:"
                + " the bolt did not move");
    }

    @Test
    void callTakesOnlyTheReplyWithItsOwnCorrelationData() throws Exception {
        // Unlike mosquitto_rr, which prints whatever comes first on its response topic.
        String topic = unique("cli-rpc/rogue");
        Mqtt5AsyncClient responder = MqttClient.builder().useMqttVersion5().identifier(unique("rogue"))
                .serverHost(host()).serverPort(port()).buildAsync();
        responder.connect().get();
        open.add(() -> responder.disconnect());
        responder.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(req -> {
            String to = req.getResponseTopic().orElseThrow().toString();
            responder.publishWith().topic(to).qos(MqttQos.AT_LEAST_ONCE).correlationData("someone else's".getBytes(UTF_8))
                    .payload("wrong".getBytes(UTF_8)).send().thenCompose(v -> responder.publishWith().topic(to)
                            .qos(MqttQos.AT_LEAST_ONCE).correlationData(req.getCorrelationData().orElseThrow())
                            .payload("right".getBytes(UTF_8)).send());
        }).send().get();
        assertThat(cli("call", topic, "x").awaitSuccess(EXIT)).containsExactly("right");
    }

    @Test
    void serveAnswersWithTheCommandsStdoutAndTurnsAFailureIntoAnErrorReply() {
        String base = unique("cli-rpc/serve");
        Proc serve = cli("serve", base + "/+", "--concurrency", "2", "--", "sh", "-c",
                "if [ \"$RPC_TOPIC\" = \"" + base + "/fail\" ]; then echo 'motor stuck' >&2; exit 3; fi; tr a-z A-Z");
        await().atMost(EXIT).until(() -> serve.stderr().stream().anyMatch(l -> l.contains("serving")));
        RpcClient caller = client();
        assertThat(caller.callBlocking(base + "/upper", "quiet please".getBytes(UTF_8), CallOptions.defaults())
                .payloadAsString()).isEqualTo("QUIET PLEASE");
        assertThatThrownBy(() -> caller.callBlocking(base + "/fail", new byte[0], CallOptions.defaults()))
                .isInstanceOfSatisfying(ResponderException.class, e -> {
                    assertThat(e.code()).isEqualTo("exit-3");
                    assertThat(e.errorMessage()).isEqualTo("motor stuck");
                });
        // Any MQTT 5 client can call it: here mosquitto_rr.
        Proc rr = Proc.start(List.of("mosquitto_rr", "-V", "5", "-h", host(), "-p", Integer.toString(port()), "-t",
                base + "/rr", "-e", unique("cli-rpc/rr-replies"), "-m", "from mosquitto_rr", "-W", "30"));
        open.add(rr);
        assertThat(rr.awaitSuccess(EXIT)).containsExactly("FROM MOSQUITTO_RR");
        assertThat(serve.isAlive()).isTrue();
    }

    @Test
    void serveWithASessionAnswersTheRequestsQueuedWhileItWasAway() {
        String topic = unique("cli-rpc/offline");
        String id = "cli-serve-" + IDS.incrementAndGet() + "-" + System.nanoTime();
        Proc first = cli("serve", topic, "-i", id, "--session-expiry", "10m", "--", "tr", "a-z", "A-Z");
        await().atMost(EXIT).until(() -> first.stderr().stream().anyMatch(l -> l.contains("serving")));
        first.kill(); // gone without a DISCONNECT; its session and subscription stay on the broker
        CompletableFuture<io.switchboard.rpc.Reply> queued = client().call(topic, "while away".getBytes(UTF_8),
                CallOptions.defaults().withTimeout(Duration.ofMinutes(2)));
        Proc second = cli("serve", topic, "-i", id, "--session-expiry", "10m", "--", "tr", "a-z", "A-Z");
        assertThat(queued.join().payloadAsString()).isEqualTo("WHILE AWAY");
        assertThat(second.isAlive()).isTrue();
    }

    @Test
    void aSessionNeedsAClientId() {
        Proc serve = cli("serve", "cli-rpc/x", "--session-expiry", "10m", "--", "cat");
        assertThat(serve.awaitExit(EXIT)).isEqualTo(2);
        assertThat(serve.stderr()).contains("switchboard rpc serve: --session-expiry needs --client-id: a session is"
                + " found again by its client id");
    }

    @Test
    void serveAndCallSpeakTheMqtt311JsonEnvelope() {
        String topic = unique("cli-rpc/v311");
        Proc serve = cli("serve", topic, "--wire-format", "json-envelope", "--", "tr", "a-z", "A-Z");
        await().atMost(EXIT).until(() -> serve.stderr().stream().anyMatch(l -> l.contains("serving")));
        assertThat(cli("call", topic, "\"over 3.1.1\"", "--wire-format", "json-envelope").awaitSuccess(EXIT))
                .containsExactly("\"OVER 3.1.1\"");
    }

    @Test
    void callSpeaksJsonRpcToAJsonRpcResponder() {
        String method = unique("cli-rpc/sum");
        RpcClient responder = RpcClient.builder().host(host()).port(port())
                .wireFormat(io.switchboard.rpc.WireFormat.JSON_RPC).connect();
        open.add(responder);
        responder.serve(method, r -> {
            int sum = 0;
            for (int n : r.json(int[].class)) {
                sum += n;
            }
            return Response.json(sum);
        });
        assertThat(cli("call", method, "[1,2,3]", "--wire-format", "json-rpc").awaitSuccess(EXIT)).containsExactly("6");
        Proc bad = cli("call", method, "[1]", "--wire-format", "xml-rpc");
        assertThat(bad.awaitExit(EXIT)).isEqualTo(2);
        assertThat(String.join("\n", bad.stderr())).contains("'xml-rpc': allowed mqtt5, json-envelope, json-rpc");
    }
}
