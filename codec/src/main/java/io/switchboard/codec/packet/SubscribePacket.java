package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.property.Properties;
import java.util.List;
import java.util.Objects;

/** SUBSCRIBE (section 3.8): at least one topic filter with its options. */
public record SubscribePacket(int packetId, List<TopicSubscription> subscriptions, Properties properties)
        implements MqttPacket {

    public SubscribePacket {
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
