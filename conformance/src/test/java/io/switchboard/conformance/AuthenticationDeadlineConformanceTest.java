package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static io.switchboard.conformance.EnhancedAuthConformanceTest.connectWithMethod;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.ChallengeResponseAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Authentication ends within {@code mqtt.connectTimeoutSeconds} (here 1 s) of the CONNECT: before
 * CONNACK there is no keep alive to end a connection that waits for ever (sections 3.1.4, 4.12).
 */
class AuthenticationDeadlineConformanceTest {
    static final ChallengeResponseAuthenticator CHALLENGE = new ChallengeResponseAuthenticator();

    /** The challenge for its method; for the user name "never", a decision that never comes. */
    static final Authenticator AUTHENTICATOR = new Authenticator() {
        @Override
        public boolean supportsMethod(String method) {
            return CHALLENGE.supportsMethod(method);
        }

        @Override
        public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
            return "never".equals(attempt.username()) ? new CompletableFuture<>() : CHALLENGE.authenticate(attempt);
        }
    };

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg.withMqtt(new MqttConfig(null, null, null, null, null,
            null, null, 1, null, null, null, null, null, null, null, null, null)), b -> b.authenticator(AUTHENTICATOR));

    @Test
    @DisplayName("a challenge the client never answers: CONNACK 0x87 after the deadline, then close [MQTT-4.12.0-4]")
    void unansweredChallenge() {
        try (RawClient c = RawClient.connect(broker.port(), connectWithMethod("ad-silent", null))) {
            c.expect(AuthPacket.class);
            long start = System.nanoTime();
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(ack.properties().reasonString()).contains("no answer");
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until refused").isGreaterThanOrEqualTo(500);
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("an authenticator that never decides: CONNACK 0x88 (3.1.1: return code 3) after the deadline, then close")
    void undecided(MqttVersion v) {
        ConnectPacket p = new ConnectPacket(v, true, 0, "ad-undecided-" + v, null, "never", null, Properties.EMPTY);
        try (RawClient c = RawClient.connect(broker.port(), p)) {
            long start = System.nanoTime();
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SERVER_UNAVAILABLE);
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until refused").isGreaterThanOrEqualTo(900);
            expectClosedWithoutPacket(c);
        }
        assertThat(broker.broker().sessions().get("ad-undecided-" + v)).isNull();
    }

    @Test
    @DisplayName("DISCONNECT instead of an answer to the challenge ([MQTT-3.1.2-30] allows it): closed at once, "
            + "without CONNACK and without session (section 3.14.4)")
    void disconnectDuringExchange() {
        try (RawClient c = RawClient.connect(broker.port(), connectWithMethod("ad-quit", null))) {
            c.expect(AuthPacket.class);
            c.send(DisconnectPacket.NORMAL);
            // Not at the deadline: that would be CONNACK 0x87.
            expectClosedWithoutPacket(c);
        }
        assertThat(broker.broker().sessions().get("ad-quit")).isNull();
    }
}
