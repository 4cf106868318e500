package io.switchboard.interop;

import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.switchboard.testkit.EmbeddedBroker;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Response Information (3.2.2.3.15, 4.10) with real clients: a HiveMQ requester and a Paho 5 responder. */
class ResponseInformationInteropTest extends HiveMqTestSupport {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    @Test
    @DisplayName("A HiveMQ client asking for Response Information gets $reply/{client id} [MQTT-3.1.2-28], receives"
            + " under it the reply of a Paho 5 responder; another client's SUBSCRIBE there is refused with 0x87")
    void hiveMqRequesterPahoResponder() throws Exception {
        String id = unique("rri-hmq");
        Mqtt5BlockingClient requester = v5(id);
        Mqtt5ConnAck connack = requester.connectWith().restrictions().requestResponseInformation(true)
                .applyRestrictions().send();
        String prefix = connack.getResponseInformation().orElseThrow().toString();
        assertThat(prefix).isEqualTo("$reply/" + id);
        var replies = closing(requester.publishes(MqttGlobalPublishFilter.ALL));
        requester.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send();

        String service = unique("rri/service");
        PahoClients.V5 responder = new PahoClients.V5(broker.port(), unique("rri-paho"));
        toClose.add(responder);
        responder.connect(true);
        responder.subscribe(service, 1);

        requester.publishWith().topic(service).qos(MqttQos.AT_LEAST_ONCE).responseTopic(prefix + "/1")
                .correlationData("c1".getBytes(UTF_8)).payload("ping".getBytes(UTF_8)).send();
        PahoClients.Received request = responder.next();
        MqttProperties props = new MqttProperties();
        props.setCorrelationData(request.v5().getProperties().getCorrelationData());
        responder.publish(request.v5().getProperties().getResponseTopic(), "pong", 1, props);

        Mqtt5Publish reply = next(replies);
        assertThat(reply.getTopic().toString()).isEqualTo(prefix + "/1");
        assertThat(text(reply)).isEqualTo("pong");
        assertThat(reply.getCorrelationData().map(b -> UTF_8.decode(b).toString())).contains("c1");

        Mqtt5BlockingClient intruder = v5(unique("rri-intruder"));
        intruder.connect();
        try {
            intruder.subscribeWith().topicFilter(prefix + "/#").send();
            throw new AssertionError("the SUBSCRIBE to another client's reply topics was granted");
        } catch (Mqtt5SubAckException e) {
            assertThat(e.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        }
    }
}
