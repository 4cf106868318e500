package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** DISCONNECT in its shortest form; empty in 3.1.1. */
public final class DisconnectEncoder implements PacketEncoder<DisconnectPacket> {

    @Override
    public ByteBuf encode(DisconnectPacket p, MqttVersion v, ByteBufAllocator alloc) {
        if (!v.isV5() || (p.reasonCode().value() == 0 && p.properties().isEmpty())) {
            return EncodeSupport.start(alloc, PacketType.DISCONNECT, 0, 0);
        }
        if (p.properties().isEmpty()) {
            return EncodeSupport.start(alloc, PacketType.DISCONNECT, 0, 1).writeByte(p.reasonCode().value());
        }
        int props = PropertiesCodec.contentSize(p.properties(), PropertyScope.DISCONNECT);
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.DISCONNECT, 0, 1 + PropertiesCodec.sectionSize(props));
        buf.writeByte(p.reasonCode().value());
        PropertiesCodec.encode(buf, p.properties(), props);
        return buf;
    }
}
