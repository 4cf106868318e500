package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** DISCONNECT (section 3.14). In 3.1.1 it is empty and always means a normal disconnection. */
public record DisconnectPacket(ReasonCode reasonCode, Properties properties) implements MqttPacket {
    public static final DisconnectPacket NORMAL = new DisconnectPacket(ReasonCode.NORMAL_DISCONNECTION,
            Properties.EMPTY);

    public DisconnectPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.DISCONNECT)) {
            throw new IllegalArgumentException(reasonCode + " is not a DISCONNECT reason code");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
