package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.codec.ReasonCode;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The policy in a real broker, with the HiveMQ MQTT Client: Azure's request-response guide end to
 * end over MQTT 5 (clients authenticate here by user name, looked up in the policy's registry; the
 * certificate-based authentication of the guide comes with the client registry).
 */
class PolicyAuthorizerTest {
    static final Policy POLICY = PolicyTest.azureRequestResponse(true);

    /** The name is the user name; unknown or disabled: 0x87. */
    static final Authenticator REGISTERED = attempt -> CompletableFuture.completedFuture(
            POLICY.client(attempt.username() == null ? "" : attempt.username()).filter(Policy.Client::enabled)
                    .<AuthOutcome>map(c -> new AuthOutcome.Success(c.authenticationName(), c.attributes(), null))
                    .orElse(new AuthOutcome.Failure(ReasonCode.NOT_AUTHORIZED, "not a registered client")));

    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker(c -> c,
            b -> b.authenticator(REGISTERED).authorizer(new PolicyAuthorizer(POLICY)));

    private final List<Mqtt5BlockingClient> open = new ArrayList<>();

    Mqtt5BlockingClient connect(String name) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(name + "-session")
                .serverHost(BROKER.host()).serverPort(BROKER.port()).buildBlocking();
        c.connectWith().simpleAuth().username(name).applySimpleAuth().send();
        open.add(c);
        return c;
    }

    @AfterEach
    void disconnect() {
        for (Mqtt5BlockingClient c : open) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        open.clear();
    }

    static Mqtt5SubAck subscribeAll(com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder.Send.Complete<
            Mqtt5SubAck> subscribe) {
        try {
            return subscribe.send();
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theAzureRequestResponseGuideEndToEnd() throws Exception {
        Mqtt5BlockingClient cloud = connect("cloudApp1");
        Mqtt5BlockingClient device1 = connect("device1");
        Mqtt5BlockingClient device2 = connect("device2");
        try (var toCloud = cloud.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
                var toDevice1 = device1.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
                var toDevice2 = device2.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            assertThat(cloud.subscribeWith().topicFilter("devices/+/reported").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(device2.subscribeWith().topicFilter("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            // device1: 0x87 for each filter that reaches beyond its own topics, the others in the same SUBSCRIBE granted.
            // (The blocking client throws for a SUBACK with an error code; the SUBACK is in the exception.)
            Mqtt5SubAck ack = subscribeAll(device1.subscribeWith().addSubscription().topicFilter("devices/device2/desired")
                    .qos(MqttQos.AT_LEAST_ONCE).applySubscription().addSubscription().topicFilter("devices/+/reported")
                    .applySubscription().addSubscription().topicFilter("devices/#").applySubscription()
                    .addSubscription().topicFilter("devices/device1/desired").qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription());
            assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                    Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                    Mqtt5SubAckReasonCode.GRANTED_QOS_1);

            // The request, with Response Topic and Correlation Data as in the guide.
            cloud.publishWith().topic("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .responseTopic("devices/device2/reported").correlationData(utf8("device2-tempupdate1"))
                    .payload(utf8("{\"temp\":21}")).send();
            Mqtt5Publish request = toDevice2.receive(10, TimeUnit.SECONDS).orElseThrow();
            device2.publishWith().topic(request.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(request.getCorrelationData().orElseThrow()).payload(utf8("{\"temp\":21}")).send();
            Mqtt5Publish response = toCloud.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(response.getTopic().toString()).isEqualTo("devices/device2/reported");
            assertThat(StandardCharsets.UTF_8.decode(response.getCorrelationData().orElseThrow()).toString())
                    .isEqualTo("device2-tempupdate1");

            // device1 may not answer for device2: PUBACK 0x87, the connection kept.
            assertThatThrownBy(() -> device1.publishWith().topic("devices/device2/reported").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("forged")).send()).isInstanceOfSatisfying(Mqtt5PubAckException.class,
                            e -> assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87));
            assertThat(device1.getState().isConnected()).isTrue();
            // ... and received nothing of device2's, the retained request included: the first message
            // device1 gets is a marker sent to its own topic after all of that.
            cloud.publishWith().topic("devices/device1/desired").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker")).send();
            assertThat(new String(toDevice1.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("marker");
            // The forged reply never reached the cloud application: its next message is device2's marker.
            device2.publishWith().topic("devices/device2/reported").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker"))
                    .send();
            assertThat(new String(toCloud.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("marker");
        }
    }

    @Test
    void anUnregisteredClientIsRefused() {
        Mqtt5BlockingClient stranger = MqttClient.builder().useMqttVersion5().identifier("stranger")
                .serverHost(BROKER.host()).serverPort(BROKER.port()).buildBlocking();
        assertThatThrownBy(() -> stranger.connectWith().simpleAuth().username("stranger").applySimpleAuth().send())
                .hasMessageContaining("NOT_AUTHORIZED");
    }

    @Test
    void rightsAreResolvedOnceAtConnect() {
        PolicyAuthorizer authorizer = new PolicyAuthorizer(POLICY);
        var identity = authorizer.connected(new io.switchboard.broker.auth.ClientIdentity("c", "device2", "default",
                Map.of("type", "device")));
        assertThat(identity.grants()).isInstanceOf(Rights.class);
        assertThat(((Rights) identity.grants()).subscribeFilters()).containsExactly("devices/device2/desired");
    }
}
