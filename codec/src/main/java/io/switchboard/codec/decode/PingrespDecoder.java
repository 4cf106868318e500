package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.PingrespPacket;

/** PINGRESP: the body must be empty. */
public final class PingrespDecoder implements PacketDecoder<PingrespPacket> {

    @Override
    public PingrespPacket decode(int flags, ByteBuf body, MqttVersion version) {
        DecodeSupport.requireEnd(body, "PINGRESP");
        return PingrespPacket.INSTANCE;
    }
}
