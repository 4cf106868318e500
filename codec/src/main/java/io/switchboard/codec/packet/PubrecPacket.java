package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** PUBREC (a step of the QoS 2 flow). Reason code and properties are 5.0 only. */
public record PubrecPacket(int packetId, ReasonCode reasonCode, Properties properties) implements MqttPacket {

    public PubrecPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.PUBREC)) {
            throw new IllegalArgumentException(reasonCode + " is not a PUBREC reason code");
        }
    }

    public PubrecPacket(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
