package io.switchboard.rpc;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@link Link} over MQTT 5: properties carry the response topic, correlation, expiry and user properties. */
final class Mqtt5Link implements Link {
    private static final Runnable NOTHING = () -> { };

    private final Mqtt5AsyncClient mqtt;

    Mqtt5Link(Mqtt5AsyncClient mqtt) {
        this.mqtt = mqtt;
    }

    @Override
    public CompletableFuture<Ack> publish(Message m) {
        Mqtt5PublishBuilder.Send.Complete<CompletableFuture<Mqtt5PublishResult>> p = mqtt.publishWith().topic(m.topic())
                .qos(MqttQos.fromCode(m.qos())).payload(m.payload()).responseTopic(m.responseTopic())
                .correlationData(m.correlationData()).contentType(m.contentType()).userProperties(Wire.to(m.userProperties()));
        if (m.expirySeconds() >= 0) {
            p = p.messageExpiryInterval(m.expirySeconds());
        }
        return p.send().thenApply(result -> ack(m.topic(), result));
    }

    private static Ack ack(String topic, Mqtt5PublishResult result) {
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
            var a = q1.getPubAck();
            if (a.getReasonCode().getCode() != 0) {
                return new Ack(a.getReasonCode().getCode(), a.getReasonString().map(Object::toString).orElse(""));
            }
        } else if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2) {
            var r = q2.getPubRec();
            if (r.getReasonCode().getCode() != 0) {
                return new Ack(r.getReasonCode().getCode(), r.getReasonString().map(Object::toString).orElse(""));
            }
        }
        if (result.getError().isPresent()) {
            Throwable e = result.getError().get();
            throw new CompletionException(new RpcException("the publish to " + topic + " failed: " + e, e));
        }
        return Ack.OK;
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, int qos, boolean manualAck, Receiver receiver) {
        return mqtt.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos))
                .callback(p -> receiver.received(message(p), manualAck ? p::acknowledge : NOTHING))
                .manualAcknowledgement(manualAck).send().thenApply(ack -> {
                    Mqtt5SubAckReasonCode code = ack.getReasonCodes().get(0);
                    if (code.isError()) {
                        throw new CompletionException(new RpcException(String.format(
                                "the broker refused the subscription to %s: 0x%02X %s%s", filter, code.getCode(),
                                code.name(), ack.getReasonString().map(r -> " (" + r + ")").orElse(""))));
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String filter) {
        return mqtt.unsubscribeWith().topicFilter(filter).send().thenApply(a -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return mqtt.disconnect();
    }

    static Message message(Mqtt5Publish p) {
        return new Message(p.getTopic().toString(), p.getPayloadAsBytes(), p.getQos().getCode(),
                p.getResponseTopic().map(Object::toString).orElse(null),
                p.getCorrelationData().map(Mqtt5Link::bytes).orElse(null),
                p.getMessageExpiryInterval().isPresent() ? p.getMessageExpiryInterval().getAsLong() : -1,
                p.getContentType().map(Object::toString).orElse(null), Wire.from(p.getUserProperties()));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
