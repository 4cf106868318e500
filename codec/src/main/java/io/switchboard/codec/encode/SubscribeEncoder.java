package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;

/** SUBSCRIBE; in 3.1.1 only the QoS bits of the options are written. */
public final class SubscribeEncoder implements PacketEncoder<SubscribePacket> {

    @Override
    public ByteBuf encode(SubscribePacket p, MqttVersion v, ByteBufAllocator alloc) {
        int props = v.isV5() ? PropertiesCodec.contentSize(p.properties(), PropertyScope.SUBSCRIBE) : 0;
        int length = 2 + (v.isV5() ? PropertiesCodec.sectionSize(props) : 0);
        for (TopicSubscription s : p.subscriptions()) {
            length += MqttStrings.stringSize(s.filter()) + 1;
        }
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.SUBSCRIBE, 0x02, length);
        buf.writeShort(p.packetId());
        if (v.isV5()) {
            PropertiesCodec.encode(buf, p.properties(), props);
        }
        for (TopicSubscription s : p.subscriptions()) {
            MqttStrings.writeString(buf, s.filter());
            int options = s.maxQos();
            if (v.isV5()) {
                options |= (s.noLocal() ? 0x04 : 0) | (s.retainAsPublished() ? 0x08 : 0) | s.retainHandling() << 4;
            }
            buf.writeByte(options);
        }
        return buf;
    }
}
