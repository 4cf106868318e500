package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** AUTH (5.0 only); empty when Success with no properties. */
public final class AuthEncoder implements PacketEncoder<AuthPacket> {

    @Override
    public ByteBuf encode(AuthPacket p, MqttVersion v, ByteBufAllocator alloc) {
        if (!v.isV5()) {
            throw new IllegalArgumentException("AUTH does not exist in MQTT " + v);
        }
        if (p.reasonCode().value() == 0 && p.properties().isEmpty()) {
            return EncodeSupport.start(alloc, PacketType.AUTH, 0, 0);
        }
        int props = PropertiesCodec.contentSize(p.properties(), PropertyScope.AUTH);
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.AUTH, 0, 1 + PropertiesCodec.sectionSize(props));
        buf.writeByte(p.reasonCode().value());
        PropertiesCodec.encode(buf, p.properties(), props);
        return buf;
    }
}
