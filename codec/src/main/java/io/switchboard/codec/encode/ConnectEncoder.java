package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;

/** CONNECT, in the version the packet names (the {@code version} argument is ignored). */
public final class ConnectEncoder implements PacketEncoder<ConnectPacket> {

    @Override
    public ByteBuf encode(ConnectPacket p, MqttVersion ignored, ByteBufAllocator alloc) {
        MqttVersion v = p.version();
        Will will = p.will();
        int props = v.isV5() ? PropertiesCodec.contentSize(p.properties(), PropertyScope.CONNECT) : 0;
        int willProps = v.isV5() && will != null ? PropertiesCodec.contentSize(will.properties(), PropertyScope.WILL) : 0;
        int length = MqttStrings.stringSize(v.protocolName()) + 1 + 1 + 2
                + (v.isV5() ? PropertiesCodec.sectionSize(props) : 0)
                + MqttStrings.stringSize(p.clientId());
        if (will != null) {
            length += (v.isV5() ? PropertiesCodec.sectionSize(willProps) : 0)
                    + MqttStrings.stringSize(will.topic()) + 2 + will.payload().size();
        }
        if (p.username() != null) {
            length += MqttStrings.stringSize(p.username());
        }
        if (p.password() != null) {
            length += 2 + p.password().length;
        }
        int flags = (p.cleanStart() ? 0x02 : 0)
                | (will != null ? 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0) : 0)
                | (p.password() != null ? 0x40 : 0)
                | (p.username() != null ? 0x80 : 0);
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.CONNECT, 0, length);
        MqttStrings.writeString(buf, v.protocolName());
        buf.writeByte(v.level());
        buf.writeByte(flags);
        buf.writeShort(p.keepAlive());
        if (v.isV5()) {
            PropertiesCodec.encode(buf, p.properties(), props);
        }
        MqttStrings.writeString(buf, p.clientId());
        if (will != null) {
            if (v.isV5()) {
                PropertiesCodec.encode(buf, will.properties(), willProps);
            }
            MqttStrings.writeString(buf, will.topic());
            MqttStrings.writeBinary(buf, will.payload().unsafeBytes());
        }
        if (p.username() != null) {
            MqttStrings.writeString(buf, p.username());
        }
        if (p.password() != null) {
            MqttStrings.writeBinary(buf, p.password());
        }
        return buf;
    }
}
