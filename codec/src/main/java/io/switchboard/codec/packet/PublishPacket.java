package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/**
 * PUBLISH (section 3.3). {@code packetId} is 0 for QoS 0. In 5.0 the topic may be empty when a
 * Topic Alias stands for it.
 */
public record PublishPacket(String topic, int qos, boolean retain, boolean dup, int packetId,
        Properties properties, Payload payload) implements MqttPacket {

    public PublishPacket {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
        if ((qos == 0) != (packetId == 0)) {
            throw new IllegalArgumentException("packet id " + packetId + " with QoS " + qos);
        }
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    public PublishPacket withDelivery(int qos, int packetId, boolean dup, boolean retain, Properties props) {
        return new PublishPacket(topic, qos, retain, dup, packetId, props, payload);
    }
}
