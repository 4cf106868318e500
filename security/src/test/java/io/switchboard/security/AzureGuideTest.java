package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Azure Event Grid's request-response guide end to end, as a user runs it: the guide's clients
 * ({@code cloudApp1}, {@code device1}, {@code device2}), groups, four topic spaces and four bindings in
 * a policy file named by {@code security.policy}; clients with certificates made by the test over a
 * TLS listener that requires them; the HiveMQ MQTT Client over MQTT 5. Then the same with the
 * {@code deviceReportedPub} binding removed and reply rights on: the response still passes, an
 * unsolicited one does not.
 */
class AzureGuideTest {
    static final SecureBroker GUIDE = new SecureBroker(PolicyLoaderTest.AZURE);
    /** The guide without the deviceReportedPub binding; devices answer by reply rights only. */
    static final SecureBroker REPLIES = new SecureBroker(PolicyLoaderTest.AZURE
            .replace("  - {name: deviceReportedPub, clientGroupName: devicesGrp, topicSpaceName: deviceReportedPub,"
                    + " permission: Publisher}\n", "")
            .replace("{name: devicesGrp, query: 'attributes.type = \"device\"'}",
                    "{name: devicesGrp, query: 'attributes.type = \"device\"', replyRights: {requireCorrelationData: true}}"));

    @RegisterExtension
    static final EmbeddedBroker BROKER = GUIDE.broker;
    @RegisterExtension
    static final EmbeddedBroker REPLIES_BROKER = REPLIES.broker;

    private final List<Mqtt5BlockingClient> open = new ArrayList<>();

    Mqtt5BlockingClient connect(String name) {
        return connect(GUIDE, name);
    }

    Mqtt5BlockingClient connect(SecureBroker broker, String name) {
        Mqtt5BlockingClient c = broker.v5(name, name + "-session");
        c.connect();
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
    void withoutACertificateFromAnUnknownCaOrUnregisteredTheClientIsRefused() {
        assertThat(GUIDE.policyFile).exists();
        // No certificate (and no user name): CONNACK 0x87 with the reason.
        Mqtt5BlockingClient anonymous = GUIDE.v5WithoutCertificate("anonymous");
        assertThatThrownBy(anonymous::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
            assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
            assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString())
                    .contains("a client certificate, or a user name and password, is required");
        });
        // A certificate from a CA the listener does not trust: the TLS handshake fails, no MQTT at all.
        Mqtt5BlockingClient untrusted = MqttClient.builder().useMqttVersion5().identifier("untrusted")
                .serverHost("localhost").serverPort(BROKER.port("tls"))
                .sslConfig(GUIDE.tls(GUIDE.pki.untrustedClient())).buildBlocking();
        assertThatThrownBy(untrusted::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
        // A trusted certificate whose name is not registered: 0x87.
        Mqtt5BlockingClient stranger = GUIDE.v5("stranger", "stranger-session");
        assertThatThrownBy(stranger::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
            assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
            assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString())
                    .contains("'stranger' is not a registered client");
        });
    }

    @Test
    void withReplyRightsTheResponsePassesOnceAndOnlyWithItsCorrelationData() throws Exception {
        Mqtt5BlockingClient cloud = connect(REPLIES, "cloudApp1");
        Mqtt5BlockingClient device2 = connect(REPLIES, "device2");
        try (var toCloud = cloud.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
                var toDevice2 = device2.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            cloud.subscribeWith().topicFilter("devices/+/reported").qos(MqttQos.AT_LEAST_ONCE).send();
            device2.subscribeWith().topicFilter("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE).send();
            // Without a publisher binding and before any request, device2 may not publish its reported topic.
            assertPubAck0x87(() -> device2.publishWith().topic("devices/device2/reported").qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(utf8("device2-tempupdate1")).payload(utf8("early")).send());

            cloud.publishWith().topic("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE)
                    .responseTopic("devices/device2/reported").correlationData(utf8("device2-tempupdate1"))
                    .payload(utf8("{\"temp\":21}")).send();
            Mqtt5Publish request = toDevice2.receive(10, TimeUnit.SECONDS).orElseThrow();
            // The wrong Correlation Data does not use the grant (requireCorrelationData: true).
            assertPubAck0x87(() -> device2.publishWith().topic("devices/device2/reported").qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(utf8("something-else")).payload(utf8("wrong")).send());
            // The response passes: the grant of the request it received.
            device2.publishWith().topic(request.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(request.getCorrelationData().orElseThrow()).payload(utf8("{\"temp\":21}")).send();
            Mqtt5Publish response = toCloud.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(StandardCharsets.UTF_8.decode(response.getCorrelationData().orElseThrow()).toString())
                    .isEqualTo("device2-tempupdate1");
            // A second, unsolicited publish: the grant is used up (maxReplies 1).
            assertPubAck0x87(() -> device2.publishWith().topic("devices/device2/reported").qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(utf8("device2-tempupdate1")).payload(utf8("again")).send());
            assertThat(device2.getState().isConnected()).isTrue();

            // A requester cannot aim a responder at a topic it may not read itself: no grant.
            cloud.publishWith().topic("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE)
                    .responseTopic("devices/device2/desired").correlationData(utf8("loop"))
                    .payload(utf8("aimed")).send();
            Mqtt5Publish aimed = toDevice2.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(aimed.getResponseTopic().orElseThrow().toString()).isEqualTo("devices/device2/desired");
            assertPubAck0x87(() -> device2.publishWith().topic("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(utf8("loop")).payload(utf8("forged")).send());
            // Nothing but the one response reached the cloud application: its next message is a marker.
            cloud.publishWith().topic("devices/device2/desired").qos(MqttQos.AT_LEAST_ONCE)
                    .responseTopic("devices/device2/reported").correlationData(utf8("marker"))
                    .payload(utf8("marker")).send();
            Mqtt5Publish markerRequest = toDevice2.receive(10, TimeUnit.SECONDS).orElseThrow();
            device2.publishWith().topic("devices/device2/reported").qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(markerRequest.getCorrelationData().orElseThrow()).payload(utf8("marker")).send();
            assertThat(new String(toCloud.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("marker");
        }
    }

    private static void assertPubAck0x87(org.assertj.core.api.ThrowableAssert.ThrowingCallable publish) {
        assertThatThrownBy(publish).isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> {
            assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
            assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString()).contains("not authorized");
        });
    }
}
