package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;

/**
 * PUBLISH. A small payload is copied behind the header (one buffer, one write); a large one is
 * wrapped, not copied, so every subscriber's packet shares the one payload array.
 */
public final class PublishEncoder implements PacketEncoder<PublishPacket> {
    /** From this size on, the payload is wrapped rather than copied. */
    static final int WRAP_THRESHOLD = 1024;

    @Override
    public ByteBuf encode(PublishPacket p, MqttVersion v, ByteBufAllocator alloc) {
        int props = v.isV5() ? PropertiesCodec.contentSize(p.properties(), PropertyScope.PUBLISH) : 0;
        int header = MqttStrings.stringSize(p.topic()) + (p.qos() > 0 ? 2 : 0)
                + (v.isV5() ? PropertiesCodec.sectionSize(props) : 0);
        int payloadSize = p.payload().size();
        boolean wrap = payloadSize >= WRAP_THRESHOLD;
        int flags = (p.dup() ? 0x08 : 0) | p.qos() << 1 | (p.retain() ? 0x01 : 0);
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.PUBLISH, flags, header + payloadSize,
                wrap ? header : header + payloadSize);
        MqttStrings.writeString(buf, p.topic());
        if (p.qos() > 0) {
            buf.writeShort(p.packetId());
        }
        if (v.isV5()) {
            PropertiesCodec.encode(buf, p.properties(), props);
        }
        if (!wrap) {
            buf.writeBytes(p.payload().unsafeBytes());
            return buf;
        }
        CompositeByteBuf composite = alloc.compositeBuffer(2);
        composite.addComponents(true, buf, Unpooled.wrappedBuffer(p.payload().unsafeBytes()));
        return composite;
    }
}
