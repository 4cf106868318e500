package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.property.PropertyScope;

/** PUBACK: see {@link AckDecoding}. */
public final class PubackDecoder implements PacketDecoder<PubackPacket> {

    @Override
    public PubackPacket decode(int flags, ByteBuf body, MqttVersion version) {
        AckDecoding ack = AckDecoding.decode(body, version, PacketType.PUBACK, PropertyScope.PUBACK);
        return new PubackPacket(ack.packetId(), ack.reasonCode(), ack.properties());
    }
}
