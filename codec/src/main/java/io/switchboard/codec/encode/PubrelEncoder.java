package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBREL: see {@link AckEncoding}. */
public final class PubrelEncoder implements PacketEncoder<PubrelPacket> {

    @Override
    public ByteBuf encode(PubrelPacket p, MqttVersion v, ByteBufAllocator alloc) {
        return AckEncoding.encode(alloc, PacketType.PUBREL, 0x02, PropertyScope.PUBREL, v, p.packetId(),
                p.reasonCode(), p.properties());
    }
}
