package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the RPC library does on any MQTT 5 broker: run once against Switchboard and once against
 * Mosquitto (subclasses), with the HiveMQ client underneath and real brokers on loopback ports.
 */
abstract class RpcContract extends BrokerTestSupport {
    /** Lets the broker's clock move on by {@code d} (Switchboard: its injected clock; Mosquitto: real time). */
    abstract void letBrokerTimePass(Duration d) throws Exception;

    RpcClient client() {
        return track(RpcClient.builder().host(host()).port(port()).connect());
    }

    /** A plain MQTT 5 client, for what the library would never send. */
    Mqtt5BlockingClient raw(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost(host())
                .serverPort(port()).buildBlocking();
        c.connect();
        track(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }


    /** Nothing left behind: no waiting call, no timer. */
    static void assertIdle(RpcClient c) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(c.stats().pendingCalls()).as("pending calls").isZero();
            assertThat(c.stats().pendingTimers()).as("pending timers").isZero();
        });
    }

    @Test
    void aCallGetsTheResponderReplyWithItsPropertiesAndLeavesNothingBehind() {
        RpcClient device = client();
        RpcClient backend = client();
        device.serve("rpc-test/echo", r -> Response.of("echo:" + r.payloadAsString() + ":" + r.userProperty("who").orElse("?")
                + ":" + r.contentType().orElse("-")).withUserProperty("served-by", "device"));
        Reply reply = backend.callBlocking("rpc-test/echo", utf8("hello"),
                CallOptions.defaults().withUserProperty("who", "alice").withContentType("text/plain"));
        assertThat(reply.payloadAsString()).isEqualTo("echo:hello:alice:text/plain");
        assertThat(reply.userProperty("served-by")).contains("device");
        assertThat(reply.userProperty(RpcHeaders.STATUS)).contains(RpcHeaders.OK);
        assertThat(backend.stats().replies()).isEqualTo(1);
        assertIdle(backend);
        assertIdle(device);
    }

    @Test
    void aHandlerReturningNothingSendsAnEmptySuccessReply() {
        client().serve("rpc-test/config", r -> null);
        Reply reply = client().callBlocking("rpc-test/config", new byte[0], CallOptions.defaults());
        assertThat(reply.payload()).isEmpty();
        assertThat(reply.userProperty(RpcHeaders.STATUS)).contains(RpcHeaders.OK);
    }

    @Test
    void aHandlerThatThrowsProducesAnErrorReplyNotSilence() {
        client().serve("rpc-test/fails", r -> {
            throw new IllegalStateException("the motor is stuck");
        });
        RpcClient backend = client();
        assertThatThrownBy(() -> backend.callBlocking("rpc-test/fails", new byte[0], CallOptions.defaults()))
                .isInstanceOfSatisfying(ResponderException.class, e -> {
                    assertThat(e.code()).isEqualTo(RpcHeaders.HANDLER_ERROR);
                    assertThat(e.errorMessage()).isEqualTo("IllegalStateException: the motor is stuck");
                });
        assertThat(backend.stats().responderErrors()).isEqualTo(1);
    }

    @Test
    void anErrorResponseCarriesItsCodeAndMessage() {
        client().serve("rpc-test/door", r -> Response.error("door-jammed", "the bolt did not move"));
        assertThatThrownBy(() -> client().callBlocking("rpc-test/door", new byte[0], CallOptions.defaults()))
                .isInstanceOfSatisfying(ResponderException.class, e -> {
                    assertThat(e.code()).isEqualTo("door-jammed");
                    assertThat(e.errorMessage()).isEqualTo("the bolt did not move");
                });
    }

    @Test
    void anAsynchronousHandlerAnswersWhenItsStageCompletes() {
        CompletableFuture<Response> later = new CompletableFuture<>();
        client().serveAsync("rpc-test/async", r -> later, ServeOptions.defaults());
        CompletableFuture<Reply> call = client().call("rpc-test/async", new byte[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> !later.isDone()); // the handler has the request
        later.complete(Response.of("done"));
        assertThat(call.join().payloadAsString()).isEqualTo("done");
    }

    @Test
    void typedJsonInAndOut() {
        record Health(String device, int battery) {
        }
        record Ask(String device) {
        }
        client().serve("rpc-test/health", r -> Response.json(new Health(r.json(Ask.class).device(), 87)));
        Health h = client().callJson("rpc-test/health", new Ask("lock-7"), Health.class, CallOptions.defaults()).join();
        assertThat(h).isEqualTo(new Health("lock-7", 87));
    }

    @Test
    void aCallNobodyServesFailsAtOnceWithNoResponderNotAfterItsTimeout() {
        RpcClient backend = client();
        long start = System.nanoTime();
        // A timeout far beyond the test's own limits: only the broker's PUBACK 0x10 can end it this way.
        assertThatThrownBy(() -> backend.callBlocking("rpc-test/nobody-home", new byte[0],
                CallOptions.defaults().withTimeout(Duration.ofMinutes(10))))
                .isInstanceOf(NoResponderException.class).hasMessageContaining("rpc-test/nobody-home");
        System.out.printf("no responder: failed after %.1f ms (timeout 10 min)%n", (System.nanoTime() - start) / 1e6);
        assertThat(backend.stats().noResponders()).isEqualTo(1);
        assertIdle(backend);
    }

    @Test
    void aCallWithoutReplyTimesOutAndTheHandlerSeesItsDeadlineAndCancellation() {
        AtomicReference<Request> seen = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        RpcClient device = client();
        device.serveAsync("rpc-test/slow", r -> {
            seen.set(r);
            r.onCancel().thenRun(cancelled::countDown);
            return new CompletableFuture<>(); // never answers
        }, ServeOptions.defaults());
        RpcClient backend = client();
        assertThatThrownBy(() -> backend.callBlocking("rpc-test/slow", new byte[0],
                CallOptions.defaults().withTimeout(Duration.ofMillis(1500))))
                .isInstanceOfSatisfying(RpcTimeoutException.class, e -> assertThat(e.expiredBeforeDelivery()).isFalse());
        assertThat(seen.get().deadline()).isPresent(); // the request's Message Expiry: 2 s, rounded up
        await().atMost(Duration.ofSeconds(10)).until(() -> cancelled.getCount() == 0);
        assertThat(seen.get().isCancelled()).isTrue();
        assertThat(backend.stats().timeouts()).isEqualTo(1);
        assertIdle(backend);
        assertIdle(device);
    }

    @Test
    void aCancelledCallLeavesNoEntryAndNoTimer() {
        client().serveAsync("rpc-test/never", r -> new CompletableFuture<>(), ServeOptions.defaults());
        RpcClient backend = client();
        CompletableFuture<Reply> call = backend.call("rpc-test/never", new byte[0],
                CallOptions.defaults().withTimeout(Duration.ofMinutes(5)));
        assertThat(backend.stats().pendingCalls()).isEqualTo(1);
        call.cancel(true);
        assertIdle(backend);
    }

    @Test
    void unknownLateAndDuplicateRepliesAreDroppedAndCounted() throws Exception {
        RpcClient backend = client();
        Mqtt5BlockingClient stranger = raw("rpc-test-stranger");
        // A reply nobody asked for: random correlation data, then none at all.
        stranger.publishWith().topic(backend.replyTopic()).qos(MqttQos.AT_LEAST_ONCE).correlationData(utf8("not-a-call"))
                .payload(utf8("x")).send();
        stranger.publishWith().topic(backend.replyTopic()).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x")).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.stats().droppedReplies() == 2);
        // A responder that answers twice: the second copy is dropped.
        client().serve("rpc-test/twice", r -> Response.of("first"));
        Mqtt5BlockingClient echoer = raw("rpc-test-echoer");
        echoer.subscribeWith().topicFilter("rpc-test/twice").send();
        AtomicInteger copies = new AtomicInteger();
        echoer.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED, p -> {
            copies.incrementAndGet();
            echoer.toAsync().publishWith().topic(p.getResponseTopic().orElseThrow()).correlationData(
                    p.getCorrelationData().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("second")).send();
        });
        Reply r = backend.callBlocking("rpc-test/twice", new byte[0], CallOptions.defaults());
        assertThat(r.payloadAsString()).isIn("first", "second");
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.stats().droppedReplies() == 3);
        assertThat(backend.stats().replies()).isEqualTo(1);
        assertIdle(backend);
    }

    @Test
    void aPoolOfRespondersSharesTheRequestsAndEveryReplyReachesItsOwnCaller() throws Exception {
        int before = brokerSubscriptions();
        int callers = 64;
        int callsEach = 1000;
        AtomicInteger[] perResponder = new AtomicInteger[3];
        for (int i = 0; i < 3; i++) {
            AtomicInteger n = perResponder[i] = new AtomicInteger();
            client().serve("rpc-test/pool", r -> {
                n.incrementAndGet();
                return Response.of(r.payload()); // echo: the caller checks it got its own
            }, ServeOptions.defaults().withGroup("pool").withConcurrency(4));
        }
        List<RpcClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(client());
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            RpcClient via = clients.get(c % clients.size());
            int caller = c;
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int k = 0; k < callsEach; k++) {
                String body = caller + "/" + k;
                chain = chain.thenCompose(v -> via.call("rpc-test/pool", utf8(body)).thenAccept(
                        reply -> assertThat(reply.payloadAsString()).isEqualTo(body)));
            }
            all.add(chain);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        int total = perResponder[0].get() + perResponder[1].get() + perResponder[2].get();
        assertThat(total).isEqualTo(callers * callsEach);
        for (RpcClient c : clients) {
            assertThat(c.stats().droppedReplies()).isZero();
            assertIdle(c);
        }
        closeAll(); // callers and responders gone: their reply and service subscriptions with them
        if (before >= 0) {
            await().atMost(Duration.ofSeconds(10)).until(() -> brokerSubscriptions() <= before); // at most: an earlier test's clients may still be leaving
        }
    }

    @Test
    void aRequestThatExpiredInAnOfflineDevicesQueueIsNeverRunButAFreshOneQueuedIs() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        String id = "rpc-test-door-" + System.nanoTime();
        String topic = "rpc-test/door/" + id + "/unlock";
        RpcClient.Builder device = RpcClient.builder().host(host()).port(port()).clientId(id)
                .sessionExpiry(Duration.ofMinutes(10)).service(topic, r -> {
                    ran.add(r.payloadAsString());
                    return Response.of("done " + r.payloadAsString());
                });
        device.connect().close(); // subscribed, then offline: its session keeps the subscription
        RpcClient backend = client();
        // Queued for the offline device with a Message Expiry of 1 s; the caller gives up after 1 s.
        assertThatThrownBy(() -> backend.callBlocking(topic, utf8("stale unlock"),
                CallOptions.defaults().withTimeout(Duration.ofSeconds(1)))).isInstanceOf(RpcTimeoutException.class);
        letBrokerTimePass(Duration.ofSeconds(3));
        // A request the device will be back in time for: queued too, with 5 minutes to live.
        CompletableFuture<Reply> fresh = backend.call(topic, utf8("fresh unlock"),
                CallOptions.defaults().withTimeout(Duration.ofMinutes(5)));
        try (RpcClient back = device.connect()) {
            assertThat(fresh.join().payloadAsString()).isEqualTo("done fresh unlock");
            assertThat(ran).containsExactly("fresh unlock"); // the stale one never ran
            assertIdle(back);
        }
        assertIdle(backend);
    }

    @Test
    void theDuplicateCacheAnswersARedeliveredRequestWithoutRunningItAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        client().serve("rpc-test/dedup", r -> Response.of("run " + runs.incrementAndGet()),
                ServeOptions.defaults().withDuplicateCache(100));
        Mqtt5BlockingClient caller = raw("rpc-test-dedup-caller");
        caller.subscribeWith().topicFilter("rpc-test-dedup/replies").qos(MqttQos.AT_LEAST_ONCE).send();
        List<String> replies = new CopyOnWriteArrayList<>(); // "correlation=reply"
        caller.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED,
                p -> replies.add(p.getCorrelationData().map(c -> StandardCharsets.UTF_8.decode(c).toString()).orElse("none")
                        + "=" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        // The same request twice, as a QoS 1 redelivery would bring it: same Response Topic and Correlation Data.
        for (int i = 0; i < 2; i++) {
            caller.publishWith().topic("rpc-test/dedup").qos(MqttQos.AT_LEAST_ONCE).responseTopic("rpc-test-dedup/replies")
                    .correlationData(utf8("call-1")).payload(utf8("unlock")).send();
        }
        // A different call is run.
        caller.publishWith().topic("rpc-test/dedup").qos(MqttQos.AT_LEAST_ONCE).responseTopic("rpc-test-dedup/replies")
                .correlationData(utf8("call-2")).payload(utf8("unlock")).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 3);
        assertThat(runs.get()).isEqualTo(2);
        // The responder may run the two calls in either order (it serves concurrently); whichever run call-1 got,
        // its redelivery is answered with the same reply, and call-2 got the other one.
        String first = replies.stream().filter(r -> r.startsWith("call-1=")).findFirst().orElseThrow();
        String other = first.equals("call-1=run 1") ? "call-2=run 2" : "call-2=run 1";
        assertThat(replies).containsExactlyInAnyOrder(first, first, other);
    }

    @Test
    void aTraceparentGoesWithTheRequestAndComesBackOnTheReply() {
        client().serve("rpc-test/traced", r -> Response.of(r.traceparent().orElse("none")));
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Reply reply = client().callBlocking("rpc-test/traced", new byte[0], CallOptions.defaults().withTraceparent(tp));
        assertThat(reply.payloadAsString()).isEqualTo(tp);
        assertThat(reply.userProperty(RpcHeaders.TRACEPARENT)).contains(tp);
    }

    @Test
    void anIdempotentCallIsRetriedAfterATimeoutButNotAfterAResponderError() {
        AtomicInteger seen = new AtomicInteger();
        client().serveAsync("rpc-test/flaky", r -> seen.incrementAndGet() == 1
                ? new CompletableFuture<>() // the first request is lost in the device
                : CompletableFuture.completedFuture(Response.of("second try")), ServeOptions.defaults());
        RpcClient backend = client();
        Reply reply = backend.callBlocking("rpc-test/flaky", new byte[0], CallOptions.defaults()
                .withTimeout(Duration.ofMillis(700)).withRetries(2, Duration.ofMillis(10)));
        assertThat(reply.payloadAsString()).isEqualTo("second try");
        assertThat(backend.stats().calls()).isEqualTo(2);
        assertThat(backend.stats().timeouts()).isEqualTo(1);

        AtomicInteger failing = new AtomicInteger();
        client().serve("rpc-test/broken", r -> {
            failing.incrementAndGet();
            throw new IllegalStateException("broken");
        });
        assertThatThrownBy(() -> backend.callBlocking("rpc-test/broken", new byte[0],
                CallOptions.defaults().withRetries(3, Duration.ofMillis(10)))).isInstanceOf(ResponderException.class);
        assertThat(failing.get()).isEqualTo(1);
        assertIdle(backend);
    }

    @Test
    void aBatchGivesEveryOutcomeInOrderInOneFuture() {
        client().serve("rpc-test/batch/ok", r -> Response.of("fine"));
        client().serve("rpc-test/batch/fails", r -> Response.error("nope", "not today"));
        List<CallResult> results = client().callAll(List.of(Call.of("rpc-test/batch/ok", new byte[0]),
                Call.of("rpc-test/batch/fails", new byte[0]), Call.of("rpc-test/batch/nobody", new byte[0]))).join();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).reply().payloadAsString()).isEqualTo("fine");
        assertThat(results.get(1).error()).isInstanceOf(ResponderException.class);
        assertThat(results.get(2).error()).isInstanceOf(NoResponderException.class);
    }

    @Test
    void scatterGatherCollectsTheRepliesOfEveryResponderUntilTheCountOrTheDeadline() {
        for (String device : List.of("a", "b", "c")) {
            client().serve("rpc-test/fleet/health", r -> device.equals("c") ? Response.error("low-battery", "3 %")
                    : Response.of("ok from " + device));
        }
        RpcClient backend = client();
        List<Reply> three = backend.gather("rpc-test/fleet/health", new byte[0], 3,
                CallOptions.defaults().withTimeout(Duration.ofMinutes(1))).join();
        assertThat(three).hasSize(3);
        assertThat(three).filteredOn(r -> !r.isError()).extracting(Reply::payloadAsString)
                .containsExactlyInAnyOrder("ok from a", "ok from b");
        assertThat(three).filteredOn(Reply::isError).singleElement()
                .satisfies(r -> assertThat(r.errorCode()).contains("low-battery"));
        // Asking for more replies than there are responders: what came by the deadline, no error.
        List<Reply> byDeadline = backend.gather("rpc-test/fleet/health", new byte[0], 10,
                CallOptions.defaults().withTimeout(Duration.ofSeconds(1))).join();
        assertThat(byDeadline).hasSize(3);
        assertIdle(backend);
    }
}
