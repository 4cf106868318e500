package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.property.Properties;
import java.util.List;
import java.util.Objects;

/** UNSUBSCRIBE (section 3.10): at least one topic filter. */
public record UnsubscribePacket(int packetId, List<String> filters, Properties properties) implements MqttPacket {

    public UnsubscribePacket {
        filters = List.copyOf(filters);
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
