package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBCOMP: see {@link AckEncoding}. */
public final class PubcompEncoder implements PacketEncoder<PubcompPacket> {

    @Override
    public ByteBuf encode(PubcompPacket p, MqttVersion v, ByteBufAllocator alloc) {
        return AckEncoding.encode(alloc, PacketType.PUBCOMP, 0, PropertyScope.PUBCOMP, v, p.packetId(),
                p.reasonCode(), p.properties());
    }
}
