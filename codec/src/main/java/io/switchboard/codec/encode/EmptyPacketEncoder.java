package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.MqttPacket;

/** PINGREQ and PINGRESP: a fixed header with remaining length 0. */
public final class EmptyPacketEncoder<P extends MqttPacket> implements PacketEncoder<P> {
    private final PacketType type;

    public EmptyPacketEncoder(PacketType type) {
        this.type = type;
    }

    @Override
    public ByteBuf encode(P packet, MqttVersion v, ByteBufAllocator alloc) {
        return EncodeSupport.start(alloc, type, 0, 0);
    }
}
