package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/**
 * The shape shared by PUBACK, PUBREC, PUBREL and PUBCOMP: a packet id, then in 5.0 an optional
 * reason code (absent means Success) and optional properties (absent when the remaining length is
 * under 4; sections 3.4.2.1 and 3.4.2.2).
 */
record AckDecoding(int packetId, ReasonCode reasonCode, Properties properties) {

    static AckDecoding decode(ByteBuf body, MqttVersion version, PacketType type, PropertyScope scope) {
        int packetId = DecodeSupport.packetId(body, type.name());
        ReasonCode rc = ReasonCode.SUCCESS;
        Properties props = Properties.EMPTY;
        if (version.isV5()) {
            if (body.isReadable()) {
                rc = ReasonCode.of(type, body.readUnsignedByte());
            }
            if (body.isReadable()) {
                props = PropertiesCodec.decode(body, scope);
            }
        }
        DecodeSupport.requireEnd(body, type.name());
        return new AckDecoding(packetId, rc, props);
    }
}
