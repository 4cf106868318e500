package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;

/** PINGREQ (section 3.12): no variable header, no payload. */
public record PingreqPacket() implements MqttPacket {
    public static final PingreqPacket INSTANCE = new PingreqPacket();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
