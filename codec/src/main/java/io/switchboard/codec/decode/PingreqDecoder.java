package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.PingreqPacket;

/** PINGREQ: the body must be empty. */
public final class PingreqDecoder implements PacketDecoder<PingreqPacket> {

    @Override
    public PingreqPacket decode(int flags, ByteBuf body, MqttVersion version) {
        DecodeSupport.requireEnd(body, "PINGREQ");
        return PingreqPacket.INSTANCE;
    }
}
