package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** PUBREL (a step of the QoS 2 flow). Reason code and properties are 5.0 only. */
public record PubrelPacket(int packetId, ReasonCode reasonCode, Properties properties) implements MqttPacket {

    public PubrelPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.PUBREL)) {
            throw new IllegalArgumentException(reasonCode + " is not a PUBREL reason code");
        }
    }

    public PubrelPacket(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
