package io.switchboard.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;

/**
 * PUBLISH to a client: the per-subscriber packet over the shared message (remaining expiry,
 * subscription identifiers, topic alias), the client's Maximum Packet Size, and the slow-consumer
 * bound. The mirror of {@link PublishReceiver}; runs on the connection's event loop.
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
        Channel ch = c.context().channel();
        if (m.qos() == 0 && ((c.backlog != null && c.backlog.slow())
                || ch.bytesBeforeWritable() > c.protocol.outboundHardLimit)) {
            // A client declared slow (not reading for mqtt.slowSubscriberTimeoutMillis), or so far behind
            // that its buffer reached the hard bound: QoS 0 is dropped, counted, and logged once per episode.
            if (c.backlog != null) {
                c.backlog.dropped();
            }
            c.protocol.metrics.droppedSlowConsumer.increment();
            return true;
        }
        Properties props = message.properties();
        String topic = message.topic();
        OutboundTopicAliases.Use alias = null;
        if (c.version.isV5()) {
            // The clock only for a message that expires: a PUBLISH write reads the time once, for its latency.
            Long remaining = message.expires() ? message.remainingExpirySeconds(c.protocol.clock.millis()) : null;
            alias = c.outboundAliases == null ? null : c.outboundAliases.use(topic);
            if (remaining != null || !m.subscriptionIds().isEmpty() || alias != null) {
                Properties.Builder b = props.toBuilder();
                if (remaining != null) {
                    b.messageExpiryInterval(remaining); // [MQTT-3.3.2-6]
                }
                b.subscriptionIdentifiers(m.subscriptionIds()); // [MQTT-3.3.4-3]
                if (alias != null) {
                    b.topicAlias(alias.alias()); // [MQTT-3.3.2-8] never above the client's Topic Alias Maximum
                    if (!alias.sendTopic()) {
                        topic = "";
                    }
                }
                props = b.build();
            }
        }
        PublishPacket p = new PublishPacket(topic, m.qos(), m.retain(), dup, packetId, props, message.payload());
        ByteBuf buf = MqttCodec.encode(p, c.version, c.context().alloc());
        if (buf.readableBytes() > c.params.maximumPacketSize()) {
            // [MQTT-3.1.2-24] / [MQTT-3.1.2-25] too large for the client: discarded as if delivered.
            buf.release();
            if (alias != null && alias.sendTopic()) {
                c.outboundAliases.notSent(message.topic());
            }
            c.protocol.metrics.droppedTooLarge.increment();
            return false;
        }
        c.write(buf);
        BrokerMetrics metrics = c.protocol.metrics;
        metrics.messagesSent.increment(m.qos());
        metrics.payloadBytesSent.add(m.qos(), message.payload().size());
        long received = message.receivedNanos();
        if (received != 0 && !dup && !m.retain()) {
            // Its first sending, of a message a client published: one clock read per PUBLISH written. Not
            // with RETAIN set: a retained message sent on SUBSCRIBE may have been published long before
            // (a message forwarded with Retain As Published is left out with it: the two look alike here).
            metrics.publishLatency.record(System.nanoTime() - received);
        }
        return true;
    }
}
