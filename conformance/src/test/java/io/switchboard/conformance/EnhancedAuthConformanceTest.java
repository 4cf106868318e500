package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static io.switchboard.conformance.Conformance.expectDisconnect;
import static io.switchboard.conformance.Conformance.publishQos1;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.PingrespPacket;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.ChallengeResponseAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Enhanced authentication and re-authentication (5.0 section 4.12) with a challenge/response
 * authenticator ({@link ChallengeResponseAuthenticator}, method {@value ChallengeResponseAuthenticator#METHOD}):
 * the broker sends a nonce in AUTH 0x18, the client answers with it reversed.
 */
class EnhancedAuthConformanceTest {
    static final String METHOD = ChallengeResponseAuthenticator.METHOD;
    static final ChallengeResponseAuthenticator AUTHENTICATOR = new ChallengeResponseAuthenticator();

    /** The identity each client last had when a delivery to it was authorized. */
    static final Map<String, ClientIdentity> RECEIVERS = new ConcurrentHashMap<>();
    /** Allows everything and records who receives. */
    static final Authorizer RECORDER = new Authorizer() {
        @Override
        public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain) {
            return ALLOWED;
        }

        @Override
        public CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos) {
            return ALLOWED;
        }

        @Override
        public boolean mayReceive(ClientIdentity subscriber, String topic) {
            RECEIVERS.put(subscriber.clientId(), subscriber);
            return true;
        }
    };

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c, b -> b.authenticator(AUTHENTICATOR).authorizer(RECORDER));

    /** A client in the middle of the exchange: it has sent CONNECT and received the broker's challenge. */
    record Challenged(RawClient client, byte[] nonce) {
    }

    static ConnectPacket connectWithMethod(String id, byte[] data) {
        return new ConnectPacket(MqttVersion.V5, true, 0, id, null, null, null,
                Properties.builder().authenticationMethod(METHOD).authenticationData(data).build());
    }

    static AuthPacket auth(ReasonCode rc, String method, byte[] data) {
        return new AuthPacket(rc, Properties.builder().authenticationMethod(method).authenticationData(data).build());
    }

    /** Sends a CONNECT with the method and expects the broker's AUTH 0x18 carrying the method and a nonce. */
    static Challenged challenge(String id) {
        RawClient c = RawClient.connect(broker.port(), connectWithMethod(id, null));
        AuthPacket a = c.expect(AuthPacket.class);
        // [MQTT-4.12.0-2] the server asks for more with AUTH 0x18 (Continue authentication).
        assertThat(a.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        // [MQTT-4.12.0-5] every AUTH carries the Authentication Method of the CONNECT.
        assertThat(a.properties().authenticationMethod()).isEqualTo(METHOD);
        assertThat(a.properties().authenticationData()).as("the nonce").isNotEmpty();
        return new Challenged(c, a.properties().authenticationData());
    }

    /** Goes through the whole exchange and expects CONNACK 0x00. */
    static RawClient authenticated(String id) {
        Challenged ch = challenge(id);
        ch.client().send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, ChallengeResponseAuthenticator.answer(ch.nonce())));
        ConnackPacket ack = ch.client().expect(ConnackPacket.class);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        return ch.client();
    }

    static List<ConnectAttempt> attemptsOf(String clientId) {
        return AUTHENTICATOR.attempts().stream().filter(a -> clientId.equals(a.clientId())).toList();
    }

    // ---- the method ---------------------------------------------------------------------------

    @Test
    @DisplayName("an Authentication Method no authenticator supports: CONNACK 0x8C, then close [MQTT-4.12.0-1]")
    void unsupportedMethod() {
        ConnectPacket p = new ConnectPacket(MqttVersion.V5, true, 0, "ea-unsupported", null, null, null,
                Properties.builder().authenticationMethod("SCRAM-SHA-256").build());
        try (RawClient c = RawClient.connect(broker.port(), p)) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
            assertThat(ack.sessionPresent()).isFalse(); // [MQTT-3.2.2-6]
            assertThat(ack.properties().reasonString()).contains("SCRAM-SHA-256");
            expectClosedWithoutPacket(c);
        }
        assertThat(attemptsOf("ea-unsupported")).as("never handed to the authenticator").isEmpty();
    }

    @Test
    @DisplayName("no Authentication Method in CONNECT: no AUTH from the server and none in CONNACK [MQTT-4.12.0-6]")
    void noMethodNoAuth() {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "ea-plain")) {
            c.expectNothingMore(); // PINGRESP is the next packet: no AUTH was sent
        }
        RawClient c = RawClient.connect(broker.port(), RawClient.connectPacket(MqttVersion.V5, "ea-plain2", true, null,
                Properties.EMPTY));
        try (c) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().authenticationMethod()).isNull();
            assertThat(ack.properties().authenticationData()).isNull();
        }
    }

    @Test
    @DisplayName("AUTH from a client whose CONNECT had no Authentication Method: DISCONNECT 0x82 [MQTT-4.12.0-7]")
    void authWithoutMethodInConnect() {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "ea-nomethod")) {
            c.send(auth(ReasonCode.RE_AUTHENTICATE, METHOD, null));
            expectDisconnect(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    // ---- the exchange at CONNECT --------------------------------------------------------------

    @Test
    @DisplayName("challenge and response: AUTH 0x18 from the broker [MQTT-4.12.0-2], AUTH 0x18 from the client "
            + "[MQTT-4.12.0-3], CONNACK 0x00 with the Authentication Method and data [MQTT-4.12.0-5]")
    void challengeResponse() {
        byte[] clientData = "hello".getBytes(UTF_8);
        RawClient c = RawClient.connect(broker.port(), connectWithMethod("ea-ok", clientData));
        try (c) {
            AuthPacket challenge = c.expect(AuthPacket.class);
            assertThat(challenge.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
            assertThat(challenge.properties().authenticationMethod()).isEqualTo(METHOD);
            byte[] nonce = challenge.properties().authenticationData();
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, ChallengeResponseAuthenticator.answer(nonce)));
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.properties().authenticationMethod()).isEqualTo(METHOD);
            assertThat(ack.properties().authenticationData()).isEqualTo(ChallengeResponseAuthenticator.SUCCESS_DATA);
            // An authenticated connection works as any other.
            subscribe(c, "ea/ok", 1);
            publishQos1(c, "ea/ok", false, "m");
            receive(c, "ea/ok", "m");
            c.expectNothingMore();
        }
        List<ConnectAttempt> seen = attemptsOf("ea-ok");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).authenticationMethod()).isEqualTo(METHOD);
        assertThat(seen.get(0).authenticationData()).as("the CONNECT's Authentication Data").isEqualTo(clientData);
        assertThat(seen.get(0).reauthentication()).isFalse();
    }

    @Test
    @DisplayName("a wrong answer: the CONNACK carries the authenticator's code (0x87), then close [MQTT-4.12.0-4]")
    void wrongAnswer() {
        Challenged ch = challenge("ea-wrong");
        try (RawClient c = ch.client()) {
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, ch.nonce())); // not reversed
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(ack.sessionPresent()).isFalse();
            assertThat(ack.properties().reasonString()).isEqualTo("wrong answer to the challenge");
            expectClosedWithoutPacket(c);
        }
        assertThat(broker.broker().sessions().get("ea-wrong")).as("no session for a refused client").isNull();
    }

    @Test
    @DisplayName("AUTH with another Authentication Method during the exchange: CONNACK 0x82, then close [MQTT-4.12.0-5]")
    void anotherMethodDuringExchange() {
        Challenged ch = challenge("ea-other");
        try (RawClient c = ch.client()) {
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, "OTHER",
                    ChallengeResponseAuthenticator.answer(ch.nonce())));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
            expectClosedWithoutPacket(c);
        }
    }

    @Test
    @DisplayName("the client answers the broker's AUTH with a reason code other than 0x18: CONNACK 0x82 [MQTT-4.12.0-3]")
    void answerMustBeContinue() {
        Challenged ch = challenge("ea-rc");
        try (RawClient c = ch.client()) {
            c.send(auth(ReasonCode.RE_AUTHENTICATE, METHOD, ChallengeResponseAuthenticator.answer(ch.nonce())));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
            expectClosedWithoutPacket(c);
        }
    }

    // ---- re-authentication --------------------------------------------------------------------

    @Test
    @DisplayName("re-authentication: AUTH 0x19 with the same method, challenge, answer, AUTH 0x00 with the method "
            + "[MQTT-4.12.1-1] [MQTT-4.12.0-5]; the connection goes on")
    void reauthentication() {
        try (RawClient c = authenticated("ea-reauth")) {
            subscribe(c, "ea/reauth", 1);
            c.send(auth(ReasonCode.RE_AUTHENTICATE, METHOD, "again".getBytes(UTF_8)));
            AuthPacket challenge = c.expect(AuthPacket.class);
            assertThat(challenge.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION); // [MQTT-4.12.0-2]
            assertThat(challenge.properties().authenticationMethod()).isEqualTo(METHOD);
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD,
                    ChallengeResponseAuthenticator.answer(challenge.properties().authenticationData())));
            AuthPacket done = c.expect(AuthPacket.class);
            assertThat(done.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(done.properties().authenticationMethod()).isEqualTo(METHOD);
            assertThat(done.properties().authenticationData()).isEqualTo(ChallengeResponseAuthenticator.SUCCESS_DATA);
            // Still connected, with its session and subscription.
            publishQos1(c, "ea/reauth", false, "after");
            receive(c, "ea/reauth", "after");
            c.expectNothingMore();
        }
        List<ConnectAttempt> seen = attemptsOf("ea-reauth");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).reauthentication()).isTrue();
        assertThat(seen.get(1).authenticationData()).isEqualTo("again".getBytes(UTF_8));
    }

    @Test
    @DisplayName("after a re-authentication, deliveries are authorized for the new identity (section 4.12.1)")
    void reauthenticationRenewsTheIdentityOfDeliveries() {
        Challenged ch = challenge("ea-reauth-who");
        try (RawClient c = ch.client()) {
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, ChallengeResponseAuthenticator.answer(ch.nonce())));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            subscribe(c, "ea/who", 1);
            publishQos1(c, "ea/who", false, "first");
            receive(c, "ea/who", "first");
            assertThat(RECEIVERS.get("ea-reauth-who").attributes())
                    .containsEntry(ChallengeResponseAuthenticator.NONCE_ATTRIBUTE, new String(ch.nonce(), UTF_8));
            c.send(auth(ReasonCode.RE_AUTHENTICATE, METHOD, null));
            byte[] nonce2 = c.expect(AuthPacket.class).properties().authenticationData();
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, ChallengeResponseAuthenticator.answer(nonce2)));
            assertThat(c.expect(AuthPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            publishQos1(c, "ea/who", false, "second");
            receive(c, "ea/who", "second");
            assertThat(RECEIVERS.get("ea-reauth-who").attributes())
                    .containsEntry(ChallengeResponseAuthenticator.NONCE_ATTRIBUTE, new String(nonce2, UTF_8));
        }
    }

    @Test
    @DisplayName("during a re-authentication other packets flow (section 4.12.1)")
    void packetsFlowDuringReauthentication() {
        try (RawClient c = authenticated("ea-reauth-flow")) {
            subscribe(c, "ea/flow", 1);
            c.send(auth(ReasonCode.RE_AUTHENTICATE, METHOD, null));
            AuthPacket challenge = c.expect(AuthPacket.class);
            // The broker waits for our answer: meanwhile the connection serves other packets.
            c.send(PingreqPacket.INSTANCE);
            c.expect(PingrespPacket.class);
            publishQos1(c, "ea/flow", false, "during");
            receive(c, "ea/flow", "during");
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD,
                    ChallengeResponseAuthenticator.answer(challenge.properties().authenticationData())));
            assertThat(c.expect(AuthPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("a failed re-authentication: DISCONNECT with the authenticator's code (0x87), then close [MQTT-4.12.1-2]")
    void failedReauthentication() {
        try (RawClient c = authenticated("ea-reauth-bad")) {
            c.send(auth(ReasonCode.RE_AUTHENTICATE, METHOD, null));
            AuthPacket challenge = c.expect(AuthPacket.class);
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, challenge.properties().authenticationData()));
            expectDisconnect(c, ReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    @DisplayName("re-authentication with another Authentication Method: DISCONNECT 0x82 [MQTT-4.12.1-1]")
    void reauthenticationWithAnotherMethod() {
        try (RawClient c = authenticated("ea-reauth-other")) {
            c.send(auth(ReasonCode.RE_AUTHENTICATE, "OTHER", null));
            expectDisconnect(c, ReasonCode.PROTOCOL_ERROR);
        }
    }

    @Test
    @DisplayName("after CONNACK, AUTH 0x18 that answers nothing: DISCONNECT 0x82 (section 4.12.1)")
    void continueWithoutExchange() {
        try (RawClient c = authenticated("ea-stray")) {
            c.send(auth(ReasonCode.CONTINUE_AUTHENTICATION, METHOD, null));
            expectDisconnect(c, ReasonCode.PROTOCOL_ERROR);
        }
    }
}
