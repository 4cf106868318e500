package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.bytes;
import static io.switchboard.conformance.Conformance.concat;
import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.publishPacket;
import static io.switchboard.conformance.Conformance.receive;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An authenticator that decides later, on another thread (as a password hash or a remote lookup
 * would): the broker holds the connection meanwhile and answers with what it decides, in 3.1.1 and
 * 5.0 (sections 3.1.4, 3.2.2). The test decides when each attempt completes: nothing here waits on
 * time.
 */
class AsyncAuthenticationConformanceTest {
    /** Completes the authenticator's stages: neither the event loop nor the test thread. */
    static final ExecutorService DECIDER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-authenticator");
        t.setDaemon(true);
        return t;
    });
    static final HeldAuthenticator AUTHENTICATOR = new HeldAuthenticator();

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c, b -> b.authenticator(AUTHENTICATOR));

    @AfterAll
    static void stopDecider() {
        DECIDER.shutdownNow();
    }

    /** An attempt the authenticator has not decided yet; {@link #decide} completes it on {@link #DECIDER}. */
    record Pending(ConnectAttempt attempt, CompletableFuture<AuthOutcome> outcome) {
        void decide(AuthOutcome o) {
            DECIDER.execute(() -> outcome.complete(o));
        }

        void fail(Throwable t) {
            DECIDER.execute(() -> outcome.completeExceptionally(t));
        }
    }

    /** Returns a stage that the test completes; records the attempt. */
    static final class HeldAuthenticator implements Authenticator {
        private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

        @Override
        public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
            CompletableFuture<AuthOutcome> f = new CompletableFuture<>();
            pending.add(new Pending(attempt, f));
            return f;
        }

        /** Waits until the broker has asked about this client id, and takes that attempt. */
        Pending next(String clientId) {
            Pending[] found = new Pending[1];
            await().atMost(RawClient.TIMEOUT).until(() -> {
                for (Pending p : pending) {
                    if (p.attempt().clientId().equals(clientId) && pending.remove(p)) {
                        found[0] = p;
                        return true;
                    }
                }
                return false;
            });
            return found[0];
        }
    }

    static ConnectPacket connect(MqttVersion v, String id, String user, String password, Properties props) {
        return new ConnectPacket(v, true, 0, id, null, user, password == null ? null : password.getBytes(UTF_8),
                v.isV5() ? props : Properties.EMPTY);
    }

    /** A plain connection (decided at once), for watching what others do. */
    static RawClient connectNow(MqttVersion v, String id) {
        RawClient c = RawClient.connect(broker.port(), connect(v, id, null, null, Properties.EMPTY));
        AUTHENTICATOR.next(id).decide(AuthOutcome.success());
        assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        return c;
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("packets sent after CONNECT wait for the decision and are then processed in order, after CONNACK (section 3.1.4)")
    void packetsAfterConnectAreHeldUntilConnack(MqttVersion v) {
        String id = "aa-held-" + v;
        String topic = "aa/held/" + v;
        try (RawClient c = RawClient.open(broker.port(), v)) {
            c.sendBytes(concat(bytes(connect(v, id, "alice", "secret", Properties.EMPTY), v),
                    bytes(new SubscribePacket(1, List.of(new TopicSubscription(topic, 1)), Properties.EMPTY), v),
                    bytes(publishPacket(topic, 1, false, 2, "one"), v),
                    bytes(publishPacket(topic, 1, false, 3, "two"), v),
                    bytes(PingreqPacket.INSTANCE, v)));
            Pending p = AUTHENTICATOR.next(id);
            // While the authenticator thinks, the pipelined packets wait (they are in the broker by now,
            // or arrive while it waits); once it decides, the CONNACK comes first.
            p.decide(AuthOutcome.success());
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(c.expect(SubackPacket.class).packetId()).isEqualTo(1);
            // Acknowledgements in the order of the packets; our own messages in the order published.
            List<MqttPacket> rest = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rest.add(c.receive());
            }
            assertThat(rest.stream().filter(PubackPacket.class::isInstance).map(a -> ((PubackPacket) a).packetId()))
                    .containsExactly(2, 3);
            assertThat(rest.stream().filter(PubackPacket.class::isInstance).map(a -> ((PubackPacket) a).reasonCode()))
                    .as("the SUBSCRIBE was in force: 0x00, not 0x10").containsOnly(ReasonCode.SUCCESS);
            assertThat(rest.stream().filter(PublishPacket.class::isInstance)
                    .map(m -> ((PublishPacket) m).payload().toUtf8String())).containsExactly("one", "two");
            List<Class<?>> acks = rest.stream().filter(m -> !(m instanceof PublishPacket))
                    .<Class<?>>map(Object::getClass).toList();
            assertThat(acks).as("PINGRESP after both PUBACKs")
                    .containsExactly(PubackPacket.class, PubackPacket.class, PingrespPacket.class);
            rest.stream().filter(PublishPacket.class::isInstance).forEach(m -> Conformance.ack(c, (PublishPacket) m));
            c.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the authenticator sees user name, password, client id, version, listener, transport and remote address")
    void attemptCarriesWhatTheClientPresented(MqttVersion v) {
        String id = "aa-seen-" + v;
        Properties props = Properties.builder().userProperty("region", "eu").userProperty("region", "us").build();
        try (RawClient c = RawClient.connect(broker.port(), connect(v, id, "bob", "pa\u0000ss", props))) {
            ConnectAttempt a = AUTHENTICATOR.next(id).attempt();
            assertThat(a.clientId()).isEqualTo(id);
            assertThat(a.username()).isEqualTo("bob");
            assertThat(a.password()).as("binary, NUL allowed").isEqualTo("pa\u0000ss".getBytes(UTF_8));
            assertThat(a.protocolVersion()).isEqualTo(v.isV5() ? "5.0" : "3.1.1");
            assertThat(a.listener()).isEqualTo("default");
            assertThat(a.transport()).isEqualTo("tcp");
            assertThat(a.remoteAddress()).isEqualTo("/127.0.0.1:" + c.localPort());
            assertThat(a.clientCertificates()).isEmpty();
            assertThat(a.certificateName()).isNull();
            assertThat(a.authenticationMethod()).isNull();
            assertThat(a.reauthentication()).isFalse();
            assertThat(a.userProperties()).extracting(Map.Entry::getValue)
                    .containsExactlyElementsOf(v.isV5() ? List.of("eu", "us") : List.of());
            assertThat(a.toString()).as("the password never shows in logs").doesNotContain("pa\u0000ss")
                    .contains("****");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a wrong password: 5.0 CONNACK 0x86, 3.1.1 return code 4, then close; pipelined packets are not "
            + "processed ([MQTT-3.2.2-5] 3.1.1, [MQTT-3.2.2-7] [MQTT-3.1.4-6] 5.0)")
    void badPassword(MqttVersion v) {
        String id = "aa-badpw-" + v;
        String topic = "aa/badpw/" + v;
        try (RawClient watcher = connectNow(v, "aa-badpw-watch-" + v);
                RawClient c = RawClient.open(broker.port(), v)) {
            Conformance.subscribe(watcher, 1, topic, 0);
            c.sendBytes(concat(bytes(connect(v, id, "alice", "guess", Properties.EMPTY), v),
                    bytes(publishPacket(topic, 0, false, 0, "must not pass"), v)));
            AUTHENTICATOR.next(id).decide(new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "user name or password not accepted"));
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD); // 3.1.1: return code 4
            assertThat(ack.sessionPresent()).isFalse(); // [MQTT-3.2.2-4] 3.1.1, [MQTT-3.2.2-6] 5.0
            if (v.isV5()) {
                assertThat(ack.properties().reasonString()).isEqualTo("user name or password not accepted");
            }
            expectClosedWithoutPacket(c);
            try (RawClient pub = connectNow(v, "aa-badpw-pub-" + v)) {
                publish(pub, topic, 0, 0, "marker");
            }
            receive(watcher, topic, "marker"); // the refused client's PUBLISH would have come first
            watcher.expectNothingMore();
        }
        assertThat(broker.broker().sessions().get(id)).isNull();
    }

    static Stream<Arguments> refusalCodes() {
        return Stream.of(
                // 5.0 sends what the authenticator said when a CONNACK may carry it.
                Arguments.of(MqttVersion.V5, ReasonCode.BANNED, ReasonCode.BANNED),
                Arguments.of(MqttVersion.V5, ReasonCode.SERVER_UNAVAILABLE, ReasonCode.SERVER_UNAVAILABLE),
                // 0x8B is a DISCONNECT code only: Not authorized instead.
                Arguments.of(MqttVersion.V5, ReasonCode.SERVER_SHUTTING_DOWN, ReasonCode.NOT_AUTHORIZED),
                // 3.1.1 has return codes 3 (Server unavailable), 4 (bad user name or password), 5 (not authorized).
                Arguments.of(MqttVersion.V3_1_1, ReasonCode.SERVER_UNAVAILABLE, ReasonCode.SERVER_UNAVAILABLE),
                Arguments.of(MqttVersion.V3_1_1, ReasonCode.BANNED, ReasonCode.NOT_AUTHORIZED),
                Arguments.of(MqttVersion.V3_1_1, ReasonCode.BAD_AUTHENTICATION_METHOD, ReasonCode.NOT_AUTHORIZED));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("refusalCodes")
    @DisplayName("a refusal is sent with the authenticator's code where the version's CONNACK can carry it, else "
            + "Not authorized (3.2.2.2)")
    void refusalCodeFitsTheVersion(MqttVersion v, ReasonCode decided, ReasonCode sent) {
        String id = "aa-code-" + v + "-" + decided.value();
        try (RawClient c = RawClient.connect(broker.port(), connect(v, id, null, null, Properties.EMPTY))) {
            AUTHENTICATOR.next(id).decide(new AuthOutcome.Failure(decided, "refused"));
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(sent);
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("an authenticator that fails (its stage completes exceptionally): 5.0 CONNACK 0x80, 3.1.1 closed")
    void authenticatorFailure(MqttVersion v) {
        String id = "aa-broken-" + v;
        try (RawClient c = RawClient.connect(broker.port(), connect(v, id, null, null, Properties.EMPTY))) {
            AUTHENTICATOR.next(id).fail(new IllegalStateException("directory unreachable"));
            if (v.isV5()) {
                assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
            }
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the client goes away while the authenticator thinks: no session, no Will, when it then accepts")
    void clientGoneBeforeDecision(MqttVersion v) {
        String id = "aa-gone-" + v;
        String topic = "aa/gone/" + v;
        try (RawClient watcher = connectNow(v, "aa-gone-watch-" + v)) {
            Conformance.subscribe(watcher, 1, topic, 0);
            // Only the watcher is connected (refused connections of other tests linger up to a second).
            await().atMost(RawClient.TIMEOUT).until(() -> broker.broker().metrics().connectionsActive() == 1);
            RawClient c = RawClient.connect(broker.port(), new ConnectPacket(v, true, 0, id,
                    new Will(topic, Payload.utf8("will"), 0, false, Properties.EMPTY), null, null, Properties.EMPTY));
            Pending p = AUTHENTICATOR.next(id);
            c.close();
            // The broker has seen the close before the authenticator answers.
            await().atMost(RawClient.TIMEOUT).until(() -> broker.broker().metrics().connectionsActive() == 1);
            p.decide(AuthOutcome.success());
            try (RawClient pub = connectNow(v, "aa-gone-pub-" + v)) {
                publish(pub, topic, 0, 0, "marker");
            }
            receive(watcher, topic, "marker"); // a Will would have come first
            watcher.expectNothingMore();
            assertThat(broker.broker().sessions().get(id)).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("an authenticator that asks to continue a client without Authentication Method (its mistake): "
            + "5.0 CONNACK 0x80, 3.1.1 closed; the connection does not hang")
    void continueWithoutMethod(MqttVersion v) {
        String id = "aa-continue-" + v;
        try (RawClient c = RawClient.connect(broker.port(), connect(v, id, null, null, Properties.EMPTY))) {
            AUTHENTICATOR.next(id).decide(new AuthOutcome.Continue(new byte[] {1},
                    data -> CompletableFuture.completedFuture(AuthOutcome.success())));
            if (v.isV5()) {
                assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.UNSPECIFIED_ERROR);
            }
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a decision the broker fails to apply (a null outcome): 5.0 CONNACK 0x83, 3.1.1 closed; no hang")
    void nullOutcome(MqttVersion v) {
        String id = "aa-null-" + v;
        try (RawClient c = RawClient.connect(broker.port(), connect(v, id, null, null, Properties.EMPTY))) {
            AUTHENTICATOR.next(id).decide(null);
            if (v.isV5()) {
                assertThat(c.expect(ConnackPacket.class).reasonCode())
                        .isEqualTo(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
            }
            expectClosedWithoutPacket(c);
        }
    }
}
