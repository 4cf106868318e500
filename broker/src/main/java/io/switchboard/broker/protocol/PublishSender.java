package io.switchboard.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.switchboard.broker.delivery.Message;
import io.switchboard.broker.storage.QueuedMessage;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;

/**
 * PUBLISH to a client: the per-subscriber packet over the shared message (remaining expiry,
 * subscription identifiers), the client's Maximum Packet Size, and the slow-consumer bound.
 * The mirror of {@link PublishReceiver}; runs on the connection's event loop.
 */
final class PublishSender {
    private PublishSender() {
    }

    /**
     * Writes the PUBLISH (flushed with its batch). Returns false when it is larger than the client
     * accepts, so the message counts as delivered without being sent ([MQTT-3.1.2-25]).
     */
    static boolean send(MqttConnection c, QueuedMessage m, int packetId, boolean dup) {
        Message message = m.message();
        Properties props = message.properties();
        if (c.version.isV5()) {
            Long remaining = message.remainingExpirySeconds(c.broker.clock().millis());
            if (remaining != null || !m.subscriptionIds().isEmpty()) {
                Properties.Builder b = props.toBuilder();
                if (remaining != null) {
                    b.messageExpiryInterval(remaining); // [MQTT-3.3.2-6]
                }
                b.subscriptionIdentifiers(m.subscriptionIds()); // [MQTT-3.3.4-3]
                props = b.build();
            }
        }
        PublishPacket p = new PublishPacket(message.topic(), m.qos(), m.retain(), dup, packetId, props,
                message.payload());
        ByteBuf buf = MqttCodec.encode(p, c.version, c.context().alloc());
        if (buf.readableBytes() > c.params.maximumPacketSize()) {
            // [MQTT-3.1.2-24] / [MQTT-3.1.2-25] too large for the client: discarded as if delivered.
            buf.release();
            c.broker.metrics().droppedTooLarge.increment();
            return false;
        }
        if (m.qos() == 0 && !c.context().channel().isWritable()) {
            // Over mqtt.maxOutboundBytes: QoS 0 is dropped for a client that is not keeping up.
            buf.release();
            c.broker.metrics().droppedSlowConsumer.increment();
            return true;
        }
        c.write(buf);
        c.broker.metrics().publishSent.increment();
        return true;
    }
}
