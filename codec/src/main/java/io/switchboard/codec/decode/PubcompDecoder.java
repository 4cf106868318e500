package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBCOMP: see {@link AckDecoding}. */
public final class PubcompDecoder implements PacketDecoder<PubcompPacket> {

    @Override
    public PubcompPacket decode(int flags, ByteBuf body, MqttVersion version) {
        AckDecoding ack = AckDecoding.decode(body, version, PacketType.PUBCOMP, PropertyScope.PUBCOMP);
        return new PubcompPacket(ack.packetId(), ack.reasonCode(), ack.properties());
    }
}
