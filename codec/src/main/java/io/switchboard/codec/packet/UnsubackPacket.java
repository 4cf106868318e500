package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.List;
import java.util.Objects;

/** UNSUBACK (section 3.11). In 3.1.1 it carries only the packet id; decoded reason codes are then empty. */
public record UnsubackPacket(int packetId, List<ReasonCode> reasonCodes, Properties properties)
        implements MqttPacket {

    public UnsubackPacket {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
        for (ReasonCode rc : reasonCodes) {
            if (!rc.allowedIn(PacketType.UNSUBACK)) {
                throw new IllegalArgumentException(rc + " is not an UNSUBACK reason code");
            }
        }
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
