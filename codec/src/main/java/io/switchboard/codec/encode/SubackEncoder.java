package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** SUBACK; in 3.1.1 every failure is written as 0x80. */
public final class SubackEncoder implements PacketEncoder<SubackPacket> {

    @Override
    public ByteBuf encode(SubackPacket p, MqttVersion v, ByteBufAllocator alloc) {
        int props = v.isV5() ? PropertiesCodec.contentSize(p.properties(), PropertyScope.SUBACK) : 0;
        int length = 2 + (v.isV5() ? PropertiesCodec.sectionSize(props) : 0) + p.reasonCodes().size();
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.SUBACK, 0, length);
        buf.writeShort(p.packetId());
        if (v.isV5()) {
            PropertiesCodec.encode(buf, p.properties(), props);
        }
        for (ReasonCode rc : p.reasonCodes()) {
            buf.writeByte(v.isV5() || !rc.isError() ? rc.value() : 0x80);
        }
        return buf;
    }
}
