package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The RPC library over MQTT 3.1.1, where there are no properties: the JSON envelope
 * ({@link WireFormat#JSON_ENVELOPE}) and JSON-RPC 2.0 ({@link WireFormat#JSON_RPC}), the same API as
 * over MQTT 5. Run against Switchboard and Mosquitto (subclasses); the wire is checked with a plain
 * MQTT 3.1.1 client (HiveMQ's) standing in for a device written by hand.
 */
abstract class Mqtt311RpcContract extends BrokerTestSupport {
    RpcClient.Builder builder(WireFormat format) {
        return RpcClient.builder().host(host()).port(port()).wireFormat(format).replySubscriptionLinger(Duration.ZERO);
    }

    RpcClient client(WireFormat format) {
        return track(builder(format).connect());
    }

    RpcClient envelope() {
        return client(WireFormat.JSON_ENVELOPE);
    }

    Mqtt3BlockingClient raw(String id) {
        Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier(id).serverHost(host())
                .serverPort(port()).buildBlocking();
        c.connect();
        track(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }


    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static JsonNode tree(byte[] json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    /** Nothing left behind: no waiting call, no timer, no reply subscription (the linger is zero here). */
    static void assertIdle(RpcClient c) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(c.stats().pendingCalls()).as("pending calls").isZero();
            assertThat(c.stats().pendingTimers()).as("pending timers").isZero();
            assertThat(c.stats().replySubscriptions()).as("reply subscriptions").isZero();
        });
    }

    // ---- the JSON envelope

    @Test
    void anEnvelopeCallGetsItsReplyWithContentTypeAndUserPropertiesAndLeavesNothingBehind() {
        int before = brokerSubscriptions();
        RpcClient device = envelope();
        RpcClient backend = envelope();
        assertThat(backend.replyTopic()).isNull(); // replies come on topics derived from each request's
        device.serve("rpc311/echo", r -> Response.of("echo:" + r.payloadAsString() + ":" + r.userProperty("who").orElse("?")
                + ":" + r.contentType().orElse("-")).withUserProperty("served-by", "device"));
        Reply reply = backend.callBlocking("rpc311/echo", utf8("hello"),
                CallOptions.defaults().withUserProperty("who", "alice").withContentType("text/plain"));
        assertThat(reply.payloadAsString()).isEqualTo("echo:hello:alice:text/plain");
        assertThat(reply.contentType()).contains("text/plain; charset=utf-8");
        assertThat(reply.userProperty("served-by")).contains("device");
        assertThat(backend.stats().replies()).isEqualTo(1);
        assertIdle(backend);
        assertIdle(device);
        if (before >= 0) {
            // The reply subscription rpc311/echo/response/<prefix>/+ is gone; the service's stays.
            await().atMost(Duration.ofSeconds(10)).until(() -> brokerSubscriptions() <= before + 1);
        }
    }

    @Test
    void jsonPayloadsTravelAsTheyAreAndOtherBytesInBase64() {
        envelope().serve("rpc311/same", r -> Response.of(r.payload()));
        RpcClient backend = envelope();
        String json = "{\"b\":  [1, 2.50000000000000000001, \"\\u00e9\"], \"a\":null}";
        assertThat(backend.callBlocking("rpc311/same", utf8(json), CallOptions.defaults()).payloadAsString()).isEqualTo(json);
        byte[] binary = {0, (byte) 0xff, '{', 10, (byte) 0x80};
        assertThat(backend.callBlocking("rpc311/same", binary, CallOptions.defaults()).payload()).isEqualTo(binary);
        assertThat(backend.callBlocking("rpc311/same", new byte[0], CallOptions.defaults()).payload()).isEmpty();
    }

    @Test
    void theRequestEnvelopeOnTheWireIsTheDocumentedOne() throws Exception {
        Mqtt3BlockingClient device = raw("rpc311-wire-device");
        List<Mqtt3Publish> got = new CopyOnWriteArrayList<>();
        device.toAsync().publishes(MqttGlobalPublishFilter.ALL, got::add);
        device.subscribeWith().topicFilter("rpc311/wire/+").qos(MqttQos.AT_LEAST_ONCE).send();
        RpcClient backend = envelope();
        long before = System.currentTimeMillis();
        CompletableFuture<Reply> call = backend.call("rpc311/wire/lock-7", utf8("{\"action\":\"unlock\"}"),
                CallOptions.defaults().withTimeout(Duration.ofSeconds(30)).withUserProperty("user", "alice")
                        .withUserProperty("user", "bob").withContentType("application/json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
        JsonNode request = tree(got.get(0).getPayloadAsBytes());
        String requestId = request.get("request_id").asText();
        assertThat(requestId).matches("[0-9a-f]{16}/[0-9a-f]+");
        assertThat(request.get("response_topic").asText()).isEqualTo("rpc311/wire/lock-7/response/" + requestId);
        assertThat(request.get("deadline").asLong()).isBetween(before + 30_000, System.currentTimeMillis() + 30_000);
        assertThat(request.get("content_type").asText()).isEqualTo("application/json");
        assertThat(request.get("user_properties").toString()).isEqualTo("{\"user\":[\"alice\",\"bob\"]}");
        assertThat(request.get("payload").toString()).isEqualTo("{\"action\":\"unlock\"}");
        assertThat(got.get(0).getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        // A device of the common convention answers with a plain JSON object on {request_topic}/response/{request_id}.
        device.publishWith().topic("rpc311/wire/lock-7/response/" + requestId).qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("{\"request_id\":\"" + requestId + "\",\"opened\":true}")).send();
        assertThat(tree(call.get(10, TimeUnit.SECONDS).payload()).get("opened").asBoolean()).isTrue();
        assertIdle(backend);
    }

    @Test
    void aHandWrittenCallerOfTheCommonConventionIsAnswered() throws Exception {
        envelope().serve("rpc311/config/+", r -> Response.json(List.of(r.topic(), r.json(JsonNode.class).get("method").asText())));
        Mqtt3BlockingClient caller = raw("rpc311-hand-caller");
        caller.subscribeWith().topicFilter("rpc311/config/cam-2/response/+").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt3BlockingClient.Mqtt3Publishes replies = caller.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            // No envelope members but request_id: the whole message is the request's payload.
            caller.publishWith().topic("rpc311/config/cam-2").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("{\"request_id\":\"42\",\"method\":\"get\"}")).send();
            Mqtt3Publish reply = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(reply.getTopic().toString()).isEqualTo("rpc311/config/cam-2/response/42");
            assertThat(text(reply.getPayloadAsBytes())).isEqualTo("{\"request_id\":\"42\",\"status\":\"ok\","
                    + "\"content_type\":\"application/json\",\"payload\":[\"rpc311/config/cam-2\",\"get\"]}");
        }
    }

    @Test
    void aHandlerThatThrowsGivesAnErrorReplyWithItsCodeAndMessage() {
        RpcClient device = envelope();
        device.serve("rpc311/fails", r -> {
            throw new IllegalStateException("the motor is stuck");
        });
        device.serve("rpc311/door", r -> Response.error("door-jammed", "the bolt did not move"));
        RpcClient backend = envelope();
        assertThatThrownBy(() -> backend.callBlocking("rpc311/fails", new byte[0], CallOptions.defaults()))
                .isInstanceOfSatisfying(ResponderException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcHeaders.HANDLER_ERROR);
                    assertThat(e.errorMessage()).isEqualTo("IllegalStateException: the motor is stuck");
                });
        assertThatThrownBy(() -> backend.callBlocking("rpc311/door", new byte[0], CallOptions.defaults()))
                .isInstanceOfSatisfying(ResponderException.class, e -> {
                    assertThat(e.code()).isEqualTo("door-jammed");
                    assertThat(e.errorMessage()).isEqualTo("the bolt did not move");
                });
        assertThat(backend.stats().responderErrors()).isEqualTo(2);
        assertIdle(backend);
    }

    @Test
    void withoutAResponderACallTimesOutAndReleasesItsReplySubscription() {
        RpcClient backend = envelope();
        // MQTT 3.1.1 has no "no matching subscribers": only the timeout ends the call.
        assertThatThrownBy(() -> backend.callBlocking("rpc311/nobody", new byte[0],
                CallOptions.defaults().withTimeout(Duration.ofMillis(300)))).isInstanceOf(RpcTimeoutException.class);
        assertThat(backend.stats().timeouts()).isEqualTo(1);
        assertIdle(backend);
    }

    @Test
    void aReplySubscriptionLingersForTheNextCallsThenGoes() {
        RpcClient device = envelope();
        device.serve("rpc311/linger", r -> Response.empty());
        RpcClient backend = builder(WireFormat.JSON_ENVELOPE).replySubscriptionLinger(Duration.ofMinutes(10)).connect();
        track(backend);
        for (int i = 0; i < 3; i++) {
            backend.callBlocking("rpc311/linger", new byte[0], CallOptions.defaults());
        }
        assertThat(backend.stats().replySubscriptions()).isEqualTo(1); // one for the topic, kept for the next calls
        backend.close();
        assertThat(backend.stats().pendingCalls()).isZero();
    }

    @Test
    void aRequestWhoseDeadlinePassedInAnOfflineDevicesQueueIsNeverRunButAFreshOneIs() {
        List<String> ran = new CopyOnWriteArrayList<>();
        String id = "rpc311-door-" + System.nanoTime();
        String topic = "rpc311/door/" + id + "/unlock";
        RpcClient.Builder device = builder(WireFormat.JSON_ENVELOPE).clientId(id).sessionExpiry(Duration.ofMinutes(10))
                .service(topic, r -> {
                    ran.add(r.payloadAsString());
                    return Response.of("done " + r.payloadAsString());
                }, ServeOptions.defaults().withQos(1));
        device.connect().close(); // subscribed with a persistent session (clean session 0), then offline
        RpcClient backend = envelope();
        long deadline = System.currentTimeMillis() + 1000;
        assertThatThrownBy(() -> backend.callBlocking(topic, utf8("\"stale unlock\""),
                CallOptions.defaults().withTimeout(Duration.ofSeconds(1)))).isInstanceOf(RpcTimeoutException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > deadline);
        CompletableFuture<Reply> fresh = backend.call(topic, utf8("\"fresh unlock\""),
                CallOptions.defaults().withTimeout(Duration.ofMinutes(5)));
        try (RpcClient back = device.connect()) {
            assertThat(fresh.join().payloadAsString()).isEqualTo("done \"fresh unlock\"");
            assertThat(ran).containsExactly("\"fresh unlock\""); // the stale one was delivered but never ran
            assertThat(back.stats().expiredRequests()).isEqualTo(1);
        }
        assertIdle(backend);
    }

    @Test
    void manyCallersThroughAPoolOfRespondersEachGetTheirOwnReplies() throws Exception {
        int before = brokerSubscriptions();
        AtomicInteger served = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            envelope().serve("rpc311/pool", r -> {
                served.incrementAndGet();
                return Response.of(r.payload());
            }, ServeOptions.defaults().withGroup("pool311").withConcurrency(4));
        }
        List<RpcClient> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(envelope());
        }
        int chains = 16;
        int callsEach = 200;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < chains; c++) {
            RpcClient via = callers.get(c % callers.size());
            int caller = c;
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int k = 0; k < callsEach; k++) {
                String body = "\"" + caller + "/" + k + "\"";
                chain = chain.thenCompose(v -> via.call("rpc311/pool", utf8(body)).thenAccept(
                        reply -> assertThat(reply.payloadAsString()).isEqualTo(body)));
            }
            all.add(chain);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertThat(served.get()).isEqualTo(chains * callsEach);
        for (RpcClient c : callers) {
            assertIdle(c);
        }
        // Each caller's reply subscription (rpc311/pool/response/<its prefix>/+) takes its own replies only.
        assertThat(callers.stream().mapToLong(c -> c.stats().droppedReplies()).sum()).isZero();
        closeAll();
        if (before >= 0) {
            await().atMost(Duration.ofSeconds(10)).until(() -> brokerSubscriptions() <= before); // at most: an earlier test's clients may still be leaving
        }
    }

    // ---- JSON-RPC 2.0

    @Test
    void aJsonRpcCallTakesParamsAndGivesTheResult() throws Exception {
        RpcClient device = client(WireFormat.JSON_RPC);
        device.serve("example/hello", r -> {
            JsonNode params = r.json(JsonNode.class);
            return Response.json("Hello " + params.get(0).asText() + ":" + params.get(1).asInt());
        });
        RpcClient backend = client(WireFormat.JSON_RPC);
        assertThat(backend.callBlocking("example/hello", utf8("[\"world\",42]"), CallOptions.defaults()).payloadAsString())
                .isEqualTo("\"Hello world:42\"");
        assertThat(backend.callJson("example/hello", List.of("json", 7), String.class, CallOptions.defaults()).join())
                .isEqualTo("Hello json:7");
        assertIdle(backend);
    }

    @Test
    void jsonRpcOnTheWireIsWhatMqttJsonRpcSpeaks() throws Exception {
        Mqtt3BlockingClient responder = raw("rpc311-jsonrpc-responder");
        List<Mqtt3Publish> got = new CopyOnWriteArrayList<>();
        responder.toAsync().publishes(MqttGlobalPublishFilter.ALL, got::add);
        responder.subscribeWith().topicFilter("t/echo/request").qos(MqttQos.EXACTLY_ONCE).send();
        RpcClient backend = client(WireFormat.JSON_RPC);
        CompletableFuture<Reply> call = backend.call("t/echo", utf8("[1,\"two\"]"), CallOptions.defaults().withQos(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 1);
        String body = text(got.get(0).getPayloadAsBytes());
        assertThat(body).matches("\\{\"jsonrpc\":\"2.0\",\"id\":\"[0-9a-f-]{36}:1\",\"method\":\"t/echo\",\"params\":\\[1,\"two\"]}");
        String id = tree(got.get(0).getPayloadAsBytes()).get("id").asText();
        String cid = id.substring(0, id.lastIndexOf(':'));
        responder.publishWith().topic("t/echo/response/" + cid).qos(MqttQos.AT_MOST_ONCE)
                .payload(utf8("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"error\":{\"message\":\"Error: boom\",\"code\":-100,\"data\":{}}}"))
                .send();
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ResponderException.class)
                .cause().satisfies(e -> {
                    ResponderException r = (ResponderException) e;
                    assertThat(r.code()).isEqualTo("-100");
                    assertThat(r.errorMessage()).isEqualTo("Error: boom");
                    assertThat(r.reply().payloadAsString()).isEqualTo("{}");
                });
        assertIdle(backend);
    }

    @Test
    void aJsonRpcServiceAnswersAnyCallerAndIgnoresNotifications() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        RpcClient device = client(WireFormat.JSON_RPC);
        device.serve("t/sum", r -> {
            runs.incrementAndGet();
            int sum = 0;
            for (JsonNode n : r.json(JsonNode.class)) {
                sum += n.asInt();
            }
            return sum == 0 ? Response.error("-32602", "nothing to add") : Response.json(sum);
        });
        Mqtt3BlockingClient caller = raw("rpc311-jsonrpc-caller");
        caller.subscribeWith().topicFilter("t/sum/response/+").qos(MqttQos.EXACTLY_ONCE).send();
        try (Mqtt3BlockingClient.Mqtt3Publishes replies = caller.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            caller.publishWith().topic("t/sum/request").qos(MqttQos.AT_MOST_ONCE)
                    .payload(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"t/sum\",\"params\":[5]}")).send(); // a notification
            caller.publishWith().topic("t/sum/request").qos(MqttQos.EXACTLY_ONCE)
                    .payload(utf8("{\"jsonrpc\":\"2.0\",\"id\":\"me:1\",\"method\":\"t/sum\",\"params\":[1,2,3]}")).send();
            Mqtt3Publish ok = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(ok.getTopic().toString()).isEqualTo("t/sum/response/me");
            assertThat(text(ok.getPayloadAsBytes())).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"me:1\",\"result\":6}");
            caller.publishWith().topic("t/sum/request").qos(MqttQos.EXACTLY_ONCE)
                    .payload(utf8("{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"t/sum\",\"params\":[]}")).send();
            Mqtt3Publish error = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(error.getTopic().toString()).isEqualTo("t/sum/response/17");
            assertThat(text(error.getPayloadAsBytes())).isEqualTo(
                    "{\"jsonrpc\":\"2.0\",\"id\":17,\"error\":{\"message\":\"nothing to add\",\"code\":-32602}}");
        }
        assertThat(runs.get()).isEqualTo(2); // the notification was not run: there is nobody to answer
    }

    @Test
    void jsonRpcParamsMustBeAnArrayOrAnObject() {
        RpcClient backend = client(WireFormat.JSON_RPC);
        assertThatThrownBy(() -> backend.callBlocking("t/x", utf8("42"), CallOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a JSON-RPC call's payload is its params: a JSON array or object, not a JSON number 42");
        assertThatThrownBy(() -> backend.callBlocking("t/x", utf8("hello"), CallOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("not 'hello' (not JSON)");
        assertThat(backend.stats().calls()).isZero();
        assertIdle(backend);
    }
}
