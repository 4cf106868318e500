package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.awaitSubscribers;
import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's mosquitto-clients ({@code mosquitto_pub}, {@code mosquitto_sub}, {@code mosquitto_rr})
 * against Switchboard, for MQTT 5.0, 3.1.1 and 3.1. Every process is bounded ({@code -C}, {@code -W},
 * a bounded wait) and killed after the test; readiness is the broker's own subscription state.
 */
class MosquittoClientsInteropTest extends HiveMqTestSupport {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    /** The wait for a client process to finish; its own -W timeout is shorter. */
    private static final Duration EXIT = Duration.ofSeconds(15);

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    /** Starts a client tool against the broker; it is killed after the test if still running. */
    private Proc run(String tool, String version, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-V", version));
        cmd.addAll(List.of(args));
        return closing(Proc.start(cmd));
    }

    /** mosquitto_sub that exits after {@code count} messages or 10 s, printing each with {@code format}. */
    private Proc sub(String version, int count, String format, String... args) {
        List<String> a = new ArrayList<>(List.of("-C", String.valueOf(count), "-W", "10", "-F", format));
        a.addAll(List.of(args));
        return run("mosquitto_sub", version, a.toArray(String[]::new));
    }

    /** mosquitto_pub, run to a successful end. */
    private void pub(String version, String... args) {
        run("mosquitto_pub", version, args).awaitSuccess(EXIT);
    }

    // ---- QoS ----

    @ParameterizedTest(name = "-V {0} QoS {1}")
    @CsvSource({"5, 0", "5, 1", "5, 2", "311, 0", "311, 1", "311, 2", "31, 0", "31, 1", "31, 2"})
    void publishAndReceiveAtEachQos(String version, int qos) {
        String topic = unique("mosq/qos");
        Proc sub = sub(version, 1, "%t|%q|%r|%p", "-q", String.valueOf(qos), "-t", topic);
        awaitSubscribers(broker, topic, 1);
        pub(version, "-q", String.valueOf(qos), "-t", topic, "-m", "hello " + qos);
        assertThat(sub.awaitSuccess(EXIT)).containsExactly(topic + "|" + qos + "|0|hello " + qos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "311", "31"})
    void mosquittoPubToJavaAndJavaToMosquittoSub(String version) throws Exception {
        String toJava = unique("mosq/to-java");
        String fromJava = unique("mosq/from-java");
        Mqtt5BlockingClient java = v5(unique("mosq-java"));
        java.connect();
        var in = closing(java.publishes(MqttGlobalPublishFilter.ALL));
        java.subscribeWith().topicFilter(toJava).qos(MqttQos.EXACTLY_ONCE).send();
        pub(version, "-q", "2", "-t", toJava, "-m", "from mosquitto_pub");
        Mqtt5Publish got = next(in);
        assertThat(text(got)).isEqualTo("from mosquitto_pub");
        assertThat(got.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);

        Proc sub = sub(version, 1, "%q|%p", "-q", "2", "-t", fromJava);
        awaitSubscribers(broker, fromJava, 1);
        java.publishWith().topic(fromJava).qos(MqttQos.EXACTLY_ONCE).payload("from java".getBytes(UTF_8)).send();
        assertThat(sub.awaitSuccess(EXIT)).containsExactly("2|from java");
    }

    // ---- retained ----

    @ParameterizedTest
    @ValueSource(strings = {"5", "311", "31"})
    void retainedMessageAndItsDeletion(String version) {
        String topic = unique("mosq/retained");
        pub(version, "-r", "-q", "1", "-t", topic, "-m", "kept");
        assertThat(sub(version, 1, "%r|%p", "-q", "1", "-t", topic).awaitSuccess(EXIT)).containsExactly("1|kept");

        pub(version, "-r", "-n", "-q", "1", "-t", topic); // an empty retained message deletes it
        // A new subscriber now gets no retained message: the first thing it sees is a live one.
        Proc sub = sub(version, 1, "%r|%p", "-q", "1", "-t", topic);
        awaitSubscribers(broker, topic, 1);
        pub(version, "-q", "1", "-t", topic, "-m", "live");
        assertThat(sub.awaitSuccess(EXIT)).containsExactly("0|live");
    }

    // ---- wildcards ----

    @ParameterizedTest
    @ValueSource(strings = {"5", "311", "31"})
    void wildcardSubscriptions(String version) {
        String base = unique("mosq-wild");
        Proc plus = sub(version, 2, "%t", "-q", "1", "-t", base + "/+/temp");
        Proc hash = sub(version, 5, "%t", "-q", "1", "-t", base + "/#");
        awaitSubscribers(broker, base + "/a/temp", 2);
        for (String t : List.of("a/temp", "a/hum", "b/c/temp", "z/temp")) {
            pub(version, "-q", "1", "-t", base + "/" + t, "-m", t);
        }
        pub(version, "-q", "1", "-t", base, "-m", "parent");
        assertThat(plus.awaitSuccess(EXIT)).containsExactly(base + "/a/temp", base + "/z/temp");
        assertThat(hash.awaitSuccess(EXIT)).containsExactly(base + "/a/temp", base + "/a/hum", base + "/b/c/temp",
                base + "/z/temp", base);
    }

    // ---- Will ----

    @ParameterizedTest
    @ValueSource(strings = {"5", "311", "31"})
    void willOfAKilledMosquittoSubReachesAJavaSubscriber(String version) throws Exception {
        String willTopic = unique("mosq/will");
        String idle = unique("mosq/idle");
        Mqtt5BlockingClient java = v5(unique("mosq-will-java"));
        java.connect();
        var in = closing(java.publishes(MqttGlobalPublishFilter.ALL));
        java.subscribeWith().topicFilter(willTopic).qos(MqttQos.AT_LEAST_ONCE).send();

        Proc dying = run("mosquitto_sub", version, "-W", "30", "-t", idle, "--will-topic", willTopic,
                "--will-payload", "mosquitto died", "--will-qos", "1");
        awaitSubscribers(broker, idle, 1); // connected (with its Will) and subscribed
        dying.kill(); // SIGKILL: the socket closes without DISCONNECT

        Mqtt5Publish will = next(in);
        assertThat(will.getTopic().toString()).isEqualTo(willTopic);
        assertThat(text(will)).isEqualTo("mosquitto died");
    }

    // ---- persistent sessions ----

    @ParameterizedTest
    @ValueSource(strings = {"5", "311", "31"})
    void sessionResumesWithMessagesQueuedWhileOffline(String version) {
        String id = unique("mosq-persist");
        String topic = unique("mosq/persist");
        // -E: connect (persistent session), subscribe, and exit once the SUBACK is in.
        run("mosquitto_sub", version, "-c", "-i", id, "-q", "1", "-t", topic, "-E", "-W", "10")
                .awaitSuccess(EXIT);
        assertThat(broker.broker().sessions().get(id)).isNotNull();
        for (int i = 1; i <= 3; i++) {
            pub(version, "-q", "1", "-t", topic, "-m", "queued " + i);
        }
        List<String> got = sub(version, 3, "%q|%p", "-c", "-i", id, "-q", "1", "-t", topic).awaitSuccess(EXIT);
        assertThat(got).containsExactly("1|queued 1", "1|queued 2", "1|queued 3");
        // Discard the session: a clean connection with the same id.
        run("mosquitto_sub", version, "-i", id, "-t", topic, "-E", "-W", "10").awaitSuccess(EXIT);
    }

    // ---- 5.0 properties ----

    @Test
    void userPropertiesFromMosquittoPubAreRelayedInOrder() throws Exception {
        String topic = unique("mosq5/user-props");
        Mqtt5BlockingClient java = v5(unique("mosq-up-java"));
        java.connect();
        var in = closing(java.publishes(MqttGlobalPublishFilter.ALL));
        java.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Proc sub = sub("5", 1, "%P|%p", "-q", "1", "-t", topic);
        awaitSubscribers(broker, topic, 2);

        pub("5", "-q", "1", "-t", topic, "-m", "props", "-D", "publish", "user-property", "zeta", "1",
                "-D", "publish", "user-property", "alpha", "2", "-D", "publish", "user-property", "zeta", "3");

        Mqtt5Publish got = next(in);
        assertThat(got.getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                .containsExactly("zeta=1", "alpha=2", "zeta=3");
        List<String> printed = sub.awaitSuccess(EXIT);
        assertThat(printed).hasSize(1);
        assertThat(printed.get(0)).endsWith("|props").contains("zeta:1").contains("alpha:2");
    }

    @Test
    void mosquittoSubReceivesPublishPropertiesFromMosquittoPub() {
        String topic = unique("mosq5/props");
        Proc sub = sub("5", 1, "C=%C|D=%D|R=%R|F=%F|P=%P|%p", "-q", "1", "-t", topic);
        awaitSubscribers(broker, topic, 1);
        pub("5", "-q", "1", "-t", topic, "-m", "body",
                "-D", "publish", "content-type", "text/x-test",
                "-D", "publish", "correlation-data", "corr-42",
                "-D", "publish", "response-topic", "reply/here",
                "-D", "publish", "payload-format-indicator", "1",
                "-D", "publish", "user-property", "k", "v");
        assertThat(sub.awaitSuccess(EXIT))
                .containsExactly("C=text/x-test|D=corr-42|R=reply/here|F=1|P=k:v|body");
    }

    @Test
    void mosquittoRrGetsTheReplyOfAJavaResponder() throws Exception {
        String requests = unique("mosq5/req");
        String responses = unique("mosq5/resp");
        Mqtt5BlockingClient responderClient = v5(unique("mosq-responder"));
        responderClient.connect();
        Mqtt5AsyncClient responder = responderClient.toAsync();
        CompletableFuture<Mqtt5Publish> request = new CompletableFuture<>();
        responder.subscribeWith().topicFilter(requests).qos(MqttQos.AT_LEAST_ONCE).callback(req -> {
            request.complete(req);
            responder.publishWith().topic(req.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(req.getCorrelationData().orElse(null))
                    .payload(("pong to " + text(req)).getBytes(UTF_8)).send();
        }).send().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        Proc rr = run("mosquitto_rr", "5", "-t", requests, "-e", responses, "-m", "ping", "-q", "1", "-W", "10",
                "-D", "publish", "correlation-data", "rr-corr");
        assertThat(rr.awaitSuccess(EXIT)).containsExactly("pong to ping");
        Mqtt5Publish req = request.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(req.getResponseTopic()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo(responses));
        assertThat(req.getCorrelationData().map(MosquittoClientsInteropTest::utf8)).hasValue("rr-corr");
    }

    @Test
    void mosquittoRrGetsTheBrokersNoResponderReplyInsteadOfWaiting() {
        // A QoS 0 request on a client we did not write: no PUBACK can say "nobody listens", the broker's
        // reply does (docs/rpc.md, "Broker help"). Without it mosquitto_rr would wait its 30 s and fail.
        String requests = unique("mosq5/nobody");
        Proc rr = run("mosquitto_rr", "5", "-t", requests, "-e", unique("mosq5/replies"), "-m", "anyone?", "-q", "0",
                "-W", "30", "-F", "%P|%p", "-D", "publish", "correlation-data", "rr-nobody");
        assertThat(rr.awaitSuccess(EXIT)).containsExactly(
                "rpc-status:no-responders rpc-message:no subscriber matched the request topic '" + requests + "'|");
    }

    @Test
    void subscriptionIdentifierAndMessageExpiryReachMosquittoSub() {
        String topic = unique("mosq5/subid");
        Proc sub = sub("5", 1, "S=%S|E=%E|%p", "-q", "1", "-t", topic, "-D", "subscribe", "subscription-identifier",
                "42");
        awaitSubscribers(broker, topic, 1);
        pub("5", "-q", "1", "-t", topic, "-m", "x", "-D", "publish", "message-expiry-interval", "120");
        List<String> got = sub.awaitSuccess(EXIT);
        assertThat(got).hasSize(1);
        // The expiry is what is left of 120 s after a moment in the broker: 119 or 120.
        assertThat(got.get(0)).matches("S=42\\|E=1(19|20)\\|x");
    }

    @Test
    void retainedWillOfAKilledMosquittoSubIsKeptForLaterSubscribers() {
        String willTopic = unique("mosq/will-retained");
        String idle = unique("mosq/idle");
        Proc dying = run("mosquitto_sub", "311", "-W", "30", "-t", idle, "--will-topic", willTopic,
                "--will-payload", "last words", "--will-qos", "1", "--will-retain");
        awaitSubscribers(broker, idle, 1);
        dying.kill();
        assertThat(sub("5", 1, "%r|%p", "-q", "1", "-t", willTopic).awaitSuccess(EXIT)).containsExactly(
                "1|last words");
        pub("5", "-r", "-n", "-t", willTopic); // clear it
    }

    @Test
    void largePayloadFromAFile(@TempDir Path dir) throws Exception {
        String topic = unique("mosq/large");
        byte[] payload = new byte[700 * 1024];
        new Random(7).nextBytes(payload);
        Path file = Files.write(dir.resolve("payload.bin"), payload);
        Mqtt5BlockingClient java = v5(unique("mosq-large-java"));
        java.connect();
        var in = closing(java.publishes(MqttGlobalPublishFilter.ALL));
        java.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        Proc sub = sub("311", 1, "%l", "-q", "2", "-t", topic);
        awaitSubscribers(broker, topic, 2);
        pub("5", "-q", "2", "-t", topic, "-f", file.toString());
        assertThat(next(in).getPayloadAsBytes()).isEqualTo(payload);
        assertThat(sub.awaitSuccess(EXIT)).containsExactly(String.valueOf(payload.length));
    }

    private static String utf8(ByteBuffer b) {
        return UTF_8.decode(b.duplicate()).toString();
    }
}
