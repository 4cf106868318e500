package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** PUBACK (a step of the QoS 1 flow). Reason code and properties are 5.0 only. */
public record PubackPacket(int packetId, ReasonCode reasonCode, Properties properties) implements MqttPacket {

    public PubackPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.PUBACK)) {
            throw new IllegalArgumentException(reasonCode + " is not a PUBACK reason code");
        }
    }

    public PubackPacket(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
