package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** DISCONNECT (section 3.14): empty in 3.1.1; in 5.0 reason code and properties may be omitted. */
public final class DisconnectDecoder implements PacketDecoder<DisconnectPacket> {

    @Override
    public DisconnectPacket decode(int flags, ByteBuf body, MqttVersion version) {
        if (!version.isV5()) {
            DecodeSupport.requireEnd(body, "DISCONNECT");
            return DisconnectPacket.NORMAL;
        }
        ReasonCode rc = ReasonCode.NORMAL_DISCONNECTION;
        Properties props = Properties.EMPTY;
        if (body.isReadable()) {
            rc = ReasonCode.of(PacketType.DISCONNECT, body.readUnsignedByte());
        }
        if (body.isReadable()) {
            props = PropertiesCodec.decode(body, PropertyScope.DISCONNECT);
        }
        DecodeSupport.requireEnd(body, "DISCONNECT");
        return new DisconnectPacket(rc, props);
    }
}
