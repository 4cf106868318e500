package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** AUTH (section 3.15): 5.0 only; packet type 15 is reserved in 3.1.1. */
public final class AuthDecoder implements PacketDecoder<AuthPacket> {

    @Override
    public AuthPacket decode(int flags, ByteBuf body, MqttVersion version) {
        if (!version.isV5()) {
            // 3.1.1 section 2.2.1: type 15 is reserved.
            throw MqttDecodeException.malformed("packet type 15 is reserved in MQTT " + version);
        }
        ReasonCode rc = ReasonCode.SUCCESS;
        Properties props = Properties.EMPTY;
        if (body.isReadable()) {
            rc = ReasonCode.of(PacketType.AUTH, body.readUnsignedByte());
            props = PropertiesCodec.decode(body, PropertyScope.AUTH);
        }
        DecodeSupport.requireEnd(body, "AUTH");
        return new AuthPacket(rc, props);
    }
}
