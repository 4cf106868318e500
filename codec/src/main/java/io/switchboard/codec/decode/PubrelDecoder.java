package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBREL: see {@link AckDecoding}. */
public final class PubrelDecoder implements PacketDecoder<PubrelPacket> {

    @Override
    public PubrelPacket decode(int flags, ByteBuf body, MqttVersion version) {
        AckDecoding ack = AckDecoding.decode(body, version, PacketType.PUBREL, PropertyScope.PUBREL);
        return new PubrelPacket(ack.packetId(), ack.reasonCode(), ack.properties());
    }
}
