package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.BrokerProcess;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RPC library against Switchboard, which hands out Response Information. */
class SwitchboardRpcTest extends RpcContract {
    static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker(c -> c, b -> b.clock(CLOCK));

    @Override
    int brokerSubscriptions() {
        return BROKER.broker().subscriptions().size();
    }

    @Override
    void letBrokerTimePass(Duration d) {
        CLOCK.advance(d);
    }

    @Override
    String host() {
        return BROKER.host();
    }

    @Override
    int port() {
        return BROKER.port();
    }

    @Test
    void repliesComeUnderTheBrokersResponseInformationPrefix() {
        RpcClient c = RpcClient.builder().host(host()).port(port()).clientId("caller/7").connect();
        try {
            // Switchboard's private prefix [MQTT-3.2.2.3.15]: $reply/{client id}, with '/' written %2F.
            assertThat(c.replyTopic()).isEqualTo("$reply/caller%2F7/rpc");
        } finally {
            c.close();
        }
    }

    @Test
    void aLostConnectionFailsTheWaitingCallsAndTheClientComesBackWithItsSubscriptions() throws Exception {
        int port = BrokerProcess.freePort();
        EmbeddedBroker fixed = new EmbeddedBroker(c -> c.withDefaultListener("127.0.0.1", port));
        fixed.start();
        CountDownLatch release = new CountDownLatch(1);
        try (RpcClient device = RpcClient.builder().host("127.0.0.1").port(port).connect();
                RpcClient backend = RpcClient.builder().host("127.0.0.1").port(port).connect()) {
            device.serve("rc/lock", r -> {
                if (r.payloadAsString().equals("hold")) {
                    release.await();
                }
                return Response.of("done " + r.payloadAsString());
            });
            CompletableFuture<Reply> waiting = backend.call("rc/lock", utf8("hold"),
                    CallOptions.defaults().withTimeout(Duration.ofMinutes(5)));
            await().atMost(Duration.ofSeconds(10)).until(() -> device.stats().requestsServed() == 1);
            fixed.close(); // the broker goes away with the call unanswered
            assertThatThrownBy(waiting::join).hasCauseInstanceOf(ConnectionLostException.class);
            assertThat(backend.stats().connectionLosses()).isEqualTo(1);
            release.countDown();
            fixed.start(); // same port: both clients reconnect and subscribe again
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> backend.callBlocking("rc/lock",
                    utf8("again"), CallOptions.defaults().withTimeout(Duration.ofSeconds(2))).payloadAsString()
                    .equals("done again"));
            assertIdle(backend);
        } finally {
            release.countDown();
            fixed.close();
        }
    }

    @Test
    void perMethodTimersGoToMicrometer() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        RpcClient device = RpcClient.builder().host(host()).port(port()).meterRegistry(registry).connect();
        RpcClient backend = RpcClient.builder().host(host()).port(port()).meterRegistry(registry).connect();
        try {
            device.serve("metrics/devices/+/health", r -> Response.of("ok"));
            for (int i = 0; i < 3; i++) {
                backend.callBlocking("metrics/devices/" + i + "/health", new byte[0],
                        CallOptions.defaults().withMethod("health"));
            }
            assertThatThrownBy(() -> backend.callBlocking("metrics/nobody", new byte[0], CallOptions.defaults()))
                    .isInstanceOf(NoResponderException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("switchboard.rpc.calls")
                    .tag("method", "health").tag("outcome", "ok").timer() != null
                    && registry.get("switchboard.rpc.calls").tag("method", "health").tag("outcome", "ok").timer()
                            .count() == 3);
            // The caller may see the failure before the call's timer is stopped: wait for it.
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("switchboard.rpc.calls")
                    .tag("method", "metrics/nobody").tag("outcome", "no-responder").timer() != null
                    && registry.get("switchboard.rpc.calls").tag("method", "metrics/nobody")
                            .tag("outcome", "no-responder").timer().count() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("switchboard.rpc.served")
                    .tag("filter", "metrics/devices/+/health").tag("outcome", "ok").timer() != null
                    && registry.get("switchboard.rpc.served").tag("outcome", "ok").timer().count() == 3);
        } finally {
            backend.close();
            device.close();
        }
    }
}
