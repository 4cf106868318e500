package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBREC: see {@link AckDecoding}. */
public final class PubrecDecoder implements PacketDecoder<PubrecPacket> {

    @Override
    public PubrecPacket decode(int flags, ByteBuf body, MqttVersion version) {
        AckDecoding ack = AckDecoding.decode(body, version, PacketType.PUBREC, PropertyScope.PUBREC);
        return new PubrecPacket(ack.packetId(), ack.reasonCode(), ack.properties());
    }
}
