package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBACK: see {@link AckEncoding}. */
public final class PubackEncoder implements PacketEncoder<PubackPacket> {

    @Override
    public ByteBuf encode(PubackPacket p, MqttVersion v, ByteBufAllocator alloc) {
        return AckEncoding.encode(alloc, PacketType.PUBACK, 0, PropertyScope.PUBACK, v, p.packetId(),
                p.reasonCode(), p.properties());
    }
}
