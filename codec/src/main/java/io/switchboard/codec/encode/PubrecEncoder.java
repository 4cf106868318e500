package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBREC: see {@link AckEncoding}. */
public final class PubrecEncoder implements PacketEncoder<PubrecPacket> {

    @Override
    public ByteBuf encode(PubrecPacket p, MqttVersion v, ByteBufAllocator alloc) {
        return AckEncoding.encode(alloc, PacketType.PUBREC, 0, PropertyScope.PUBREC, v, p.packetId(),
                p.reasonCode(), p.properties());
    }
}
