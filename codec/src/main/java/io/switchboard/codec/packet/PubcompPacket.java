package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** PUBCOMP (a step of the QoS 2 flow). Reason code and properties are 5.0 only. */
public record PubcompPacket(int packetId, ReasonCode reasonCode, Properties properties) implements MqttPacket {

    public PubcompPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.PUBCOMP)) {
            throw new IllegalArgumentException(reasonCode + " is not a PUBCOMP reason code");
        }
    }

    public PubcompPacket(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
