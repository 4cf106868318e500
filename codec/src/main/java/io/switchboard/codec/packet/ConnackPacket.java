package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/**
 * CONNACK (section 3.2). In 3.1.1 the reason code travels as a Connect Return Code: the encoder
 * maps it (0x84 to 1, 0x85 to 2, 0x86 to 4, 0x87 to 5, any other failure to 3).
 */
public record ConnackPacket(boolean sessionPresent, ReasonCode reasonCode, Properties properties)
        implements MqttPacket {

    public ConnackPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.CONNACK)) {
            throw new IllegalArgumentException(reasonCode + " is not a CONNACK reason code");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
