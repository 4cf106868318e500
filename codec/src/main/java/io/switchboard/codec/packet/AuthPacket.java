package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** AUTH (section 3.15, 5.0 only): a step of enhanced authentication. */
public record AuthPacket(ReasonCode reasonCode, Properties properties) implements MqttPacket {

    public AuthPacket {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
        if (!reasonCode.allowedIn(PacketType.AUTH)) {
            throw new IllegalArgumentException(reasonCode + " is not an AUTH reason code");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
