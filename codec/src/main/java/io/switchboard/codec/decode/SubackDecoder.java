package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import java.util.ArrayList;
import java.util.List;

/** SUBACK (section 3.9). */
public final class SubackDecoder implements PacketDecoder<SubackPacket> {

    @Override
    public SubackPacket decode(int flags, ByteBuf body, MqttVersion version) {
        int packetId = DecodeSupport.packetId(body, "SUBACK");
        Properties props = version.isV5() ? PropertiesCodec.decode(body, PropertyScope.SUBACK) : Properties.EMPTY;
        List<ReasonCode> codes = new ArrayList<>();
        while (body.isReadable()) {
            int code = body.readUnsignedByte();
            if (!version.isV5() && code > 2 && code != 0x80) {
                throw MqttDecodeException.malformed("SUBACK return code " + code + "; allowed 0, 1, 2 or 0x80");
            }
            codes.add(ReasonCode.of(PacketType.SUBACK, code));
        }
        if (codes.isEmpty()) {
            throw MqttDecodeException.protocolError("SUBACK has no reason code");
        }
        return new SubackPacket(packetId, codes, props);
    }
}
