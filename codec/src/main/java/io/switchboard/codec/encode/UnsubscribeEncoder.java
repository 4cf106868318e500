package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;

/** UNSUBSCRIBE. */
public final class UnsubscribeEncoder implements PacketEncoder<UnsubscribePacket> {

    @Override
    public ByteBuf encode(UnsubscribePacket p, MqttVersion v, ByteBufAllocator alloc) {
        int props = v.isV5() ? PropertiesCodec.contentSize(p.properties(), PropertyScope.UNSUBSCRIBE) : 0;
        int length = 2 + (v.isV5() ? PropertiesCodec.sectionSize(props) : 0);
        for (String f : p.filters()) {
            length += MqttStrings.stringSize(f);
        }
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.UNSUBSCRIBE, 0x02, length);
        buf.writeShort(p.packetId());
        if (v.isV5()) {
            PropertiesCodec.encode(buf, p.properties(), props);
        }
        for (String f : p.filters()) {
            MqttStrings.writeString(buf, f);
        }
        return buf;
    }
}
