package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/**
 * The shape shared by PUBACK, PUBREC, PUBREL and PUBCOMP, in its shortest form: the reason code is
 * left out when it is Success with no properties, the properties when there are none.
 */
final class AckEncoding {
    private AckEncoding() {
    }

    static ByteBuf encode(ByteBufAllocator alloc, PacketType type, int flags, PropertyScope scope, MqttVersion v,
            int packetId, ReasonCode rc, Properties properties) {
        if (!v.isV5() || (rc.value() == 0 && properties.isEmpty())) {
            ByteBuf buf = EncodeSupport.start(alloc, type, flags, 2);
            return buf.writeShort(packetId);
        }
        if (properties.isEmpty()) {
            ByteBuf buf = EncodeSupport.start(alloc, type, flags, 3);
            return buf.writeShort(packetId).writeByte(rc.value());
        }
        int props = PropertiesCodec.contentSize(properties, scope);
        ByteBuf buf = EncodeSupport.start(alloc, type, flags, 3 + PropertiesCodec.sectionSize(props));
        buf.writeShort(packetId).writeByte(rc.value());
        PropertiesCodec.encode(buf, properties, props);
        return buf;
    }
}
