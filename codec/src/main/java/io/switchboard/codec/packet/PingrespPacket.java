package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;

/** PINGRESP (section 3.13): no variable header, no payload. */
public record PingrespPacket() implements MqttPacket {
    public static final PingrespPacket INSTANCE = new PingrespPacket();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
