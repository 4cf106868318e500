package io.switchboard.interop;

import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.testkit.ChallengeResponseAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Enhanced authentication (5.0 section 4.12) with the HiveMQ MQTT Client's
 * {@link Mqtt5EnhancedAuthMechanism}, against the broker's test method
 * {@value ChallengeResponseAuthenticator#METHOD} (a nonce in AUTH 0x18, answered reversed),
 * including a re-authentication started by the client ({@code reauth()}).
 *
 * <p>Eclipse Paho 5 (1.2.5) is not tested here: it cannot send AUTH before CONNACK
 * (eclipse-paho/paho.mqtt.java#981), so it cannot answer a challenge at CONNECT.
 */
class HiveMqEnhancedAuthInteropTest extends HiveMqTestSupport {
    static final ChallengeResponseAuthenticator AUTHENTICATOR = new ChallengeResponseAuthenticator();

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c, b -> b.authenticator(AUTHENTICATOR));

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    /** The client's side of the test method; counts what the client lived through. */
    static final class ReversingMechanism implements Mqtt5EnhancedAuthMechanism {
        final String method;
        final boolean answerWrong;
        final AtomicInteger challenges = new AtomicInteger();
        final AtomicInteger reauthSuccesses = new AtomicInteger();
        final CompletableFuture<byte[]> connackData = new CompletableFuture<>();
        final CompletableFuture<Mqtt5ConnAckReasonCode> rejected = new CompletableFuture<>();

        ReversingMechanism(String method, boolean answerWrong) {
            this.method = method;
            this.answerWrong = answerWrong;
        }

        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of(method);
        }

        @Override
        public int getTimeout() {
            return (int) Interop.TIMEOUT.toSeconds();
        }

        @Override
        public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect,
                Mqtt5EnhancedAuthBuilder auth) {
            auth.data("hello".getBytes(UTF_8));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
            auth.data("again".getBytes(UTF_8));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder reply) {
            challenges.incrementAndGet();
            byte[] nonce = bytes(auth.getData().orElseThrow());
            reply.data(answerWrong ? nonce : ChallengeResponseAuthenticator.answer(nonce));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            connackData.complete(connAck.getEnhancedAuth().flatMap(a -> a.getData()).map(ReversingMechanism::bytes)
                    .orElse(null));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            reauthSuccesses.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            rejected.complete(connAck.getReasonCode());
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
        }

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
        }

        static byte[] bytes(ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            return a;
        }
    }

    Mqtt5BlockingClient client(String id, Mqtt5EnhancedAuthMechanism mechanism) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost(broker.host()).serverPort(broker.port())
                .enhancedAuth(mechanism).buildBlocking();
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    @Test
    void challengeResponseThenReauthentication() throws Exception {
        String id = unique("hmq5-auth");
        String topic = unique("hmq5/auth");
        ReversingMechanism mechanism = new ReversingMechanism(ChallengeResponseAuthenticator.METHOD, false);
        Mqtt5BlockingClient c = client(id, mechanism);
        Mqtt5ConnAck ack = c.connect();
        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(mechanism.challenges.get()).isEqualTo(1);
        assertThat(mechanism.connackData.get()).isEqualTo(ChallengeResponseAuthenticator.SUCCESS_DATA);
        var in = closing(c.publishes(MqttGlobalPublishFilter.ALL));
        c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("before".getBytes(UTF_8)).send();
        assertThat(text(next(in))).isEqualTo("before");

        c.reauth(); // AUTH 0x19, the broker's AUTH 0x18, the answer, AUTH 0x00
        assertThat(mechanism.challenges.get()).isEqualTo(2);
        assertThat(mechanism.reauthSuccesses.get()).isEqualTo(1);
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("after".getBytes(UTF_8)).send();
        assertThat(text(next(in))).isEqualTo("after");

        List<ConnectAttempt> seen = AUTHENTICATOR.attempts().stream().filter(a -> id.equals(a.clientId())).toList();
        assertThat(seen).extracting(ConnectAttempt::reauthentication).containsExactly(false, true);
        assertThat(seen).extracting(a -> new String(a.authenticationData(), UTF_8)).containsExactly("hello", "again");
    }

    @Test
    void wrongAnswerIsRefusedWithNotAuthorized() throws Exception {
        ReversingMechanism mechanism = new ReversingMechanism(ChallengeResponseAuthenticator.METHOD, true);
        Mqtt5BlockingClient c = client(unique("hmq5-auth-wrong"), mechanism);
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        assertThat(mechanism.rejected.get(Interop.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void unsupportedMethodIsRefusedWithBadAuthenticationMethod() {
        ReversingMechanism mechanism = new ReversingMechanism("SCRAM-SHA-256", false);
        Mqtt5BlockingClient c = client(unique("hmq5-auth-method"), mechanism);
        assertThatThrownBy(c::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD));
        assertThat(mechanism.challenges.get()).isZero();
    }
}
