package io.switchboard.rpc;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link Link} over MQTT 3.1.1: no properties, so a message carries only topic, payload and QoS
 * (the wire format puts the rest in the payload), and a PUBACK says nothing but "received".
 */
final class Mqtt3Link implements Link {
    private static final Runnable NOTHING = () -> { };

    private final Mqtt3AsyncClient mqtt;

    Mqtt3Link(Mqtt3AsyncClient mqtt) {
        this.mqtt = mqtt;
    }

    @Override
    public CompletableFuture<Ack> publish(Message m) {
        return mqtt.publishWith().topic(m.topic()).qos(MqttQos.fromCode(m.qos())).payload(m.payload()).send()
                .thenApply(p -> Ack.OK);
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, int qos, boolean manualAck, Receiver receiver) {
        return mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(p -> receiver.received(message(p), manualAck ? p::acknowledge : NOTHING))
                .manualAcknowledgement(manualAck).send().thenApply(ack -> {
                    if (ack.getReturnCodes().get(0) == Mqtt3SubAckReturnCode.FAILURE) {
                        throw new CompletionException(new RpcException("the broker refused the subscription to "
                                + filter + ": SUBACK return code 0x80 Failure"));
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String filter) {
        return mqtt.unsubscribeWith().topicFilter(filter).send();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return mqtt.disconnect();
    }

    static Message message(Mqtt3Publish p) {
        return Message.plain(p.getTopic().toString(), p.getPayloadAsBytes(), p.getQos().getCode());
    }
}
