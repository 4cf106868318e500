package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import java.util.List;
import java.util.Objects;

/** SUBACK (section 3.9): a reason code per topic filter, in order. 3.1.1 knows 0, 1, 2 and 0x80. */
public record SubackPacket(int packetId, List<ReasonCode> reasonCodes, Properties properties)
        implements MqttPacket {

    public SubackPacket {
        reasonCodes = List.copyOf(reasonCodes);
        Objects.requireNonNull(properties, "properties");
        for (ReasonCode rc : reasonCodes) {
            if (!rc.allowedIn(PacketType.SUBACK)) {
                throw new IllegalArgumentException(rc + " is not a SUBACK reason code");
            }
        }
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
