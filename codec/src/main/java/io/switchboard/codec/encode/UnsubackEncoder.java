package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** UNSUBACK; in 3.1.1 only the packet id is written. */
public final class UnsubackEncoder implements PacketEncoder<UnsubackPacket> {

    @Override
    public ByteBuf encode(UnsubackPacket p, MqttVersion v, ByteBufAllocator alloc) {
        if (!v.isV5()) {
            return EncodeSupport.start(alloc, PacketType.UNSUBACK, 0, 2).writeShort(p.packetId());
        }
        int props = PropertiesCodec.contentSize(p.properties(), PropertyScope.UNSUBACK);
        int length = 2 + PropertiesCodec.sectionSize(props) + p.reasonCodes().size();
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.UNSUBACK, 0, length);
        buf.writeShort(p.packetId());
        PropertiesCodec.encode(buf, p.properties(), props);
        for (ReasonCode rc : p.reasonCodes()) {
            buf.writeByte(rc.value());
        }
        return buf;
    }
}
