package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import java.util.ArrayList;
import java.util.List;

/** UNSUBACK (section 3.11); in 3.1.1 only a packet id. */
public final class UnsubackDecoder implements PacketDecoder<UnsubackPacket> {

    @Override
    public UnsubackPacket decode(int flags, ByteBuf body, MqttVersion version) {
        int packetId = DecodeSupport.packetId(body, "UNSUBACK");
        if (!version.isV5()) {
            DecodeSupport.requireEnd(body, "UNSUBACK");
            return new UnsubackPacket(packetId, List.of(), Properties.EMPTY);
        }
        Properties props = PropertiesCodec.decode(body, PropertyScope.UNSUBACK);
        List<ReasonCode> codes = new ArrayList<>();
        while (body.isReadable()) {
            codes.add(ReasonCode.of(PacketType.UNSUBACK, body.readUnsignedByte()));
        }
        if (codes.isEmpty()) {
            // Section 3.11.3: one reason code per topic filter of the UNSUBSCRIBE, so at least one.
            throw MqttDecodeException.protocolError("UNSUBACK has no reason code");
        }
        return new UnsubackPacket(packetId, codes, props);
    }
}
