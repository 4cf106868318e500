package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** CONNACK; in 3.1.1 the reason code becomes a Connect Return Code. */
public final class ConnackEncoder implements PacketEncoder<ConnackPacket> {

    @Override
    public ByteBuf encode(ConnackPacket p, MqttVersion v, ByteBufAllocator alloc) {
        int props = v.isV5() ? PropertiesCodec.contentSize(p.properties(), PropertyScope.CONNACK) : 0;
        int length = 2 + (v.isV5() ? PropertiesCodec.sectionSize(props) : 0);
        ByteBuf buf = EncodeSupport.start(alloc, PacketType.CONNACK, 0, length);
        buf.writeByte(p.sessionPresent() ? 1 : 0);
        buf.writeByte(v.isV5() ? p.reasonCode().value() : returnCode(p.reasonCode()));
        if (v.isV5()) {
            PropertiesCodec.encode(buf, p.properties(), props);
        }
        return buf;
    }

    /** 3.1.1 section 3.2.2.3 Connect Return Codes. */
    static int returnCode(ReasonCode rc) {
        return switch (rc) {
            case SUCCESS -> 0;
            case UNSUPPORTED_PROTOCOL_VERSION -> 1;
            case CLIENT_IDENTIFIER_NOT_VALID -> 2;
            case BAD_USER_NAME_OR_PASSWORD -> 4;
            case NOT_AUTHORIZED, BANNED -> 5;
            default -> 3;
        };
    }
}
