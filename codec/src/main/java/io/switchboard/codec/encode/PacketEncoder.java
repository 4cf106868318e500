package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.MqttPacket;

/**
 * Encodes one packet type, fixed header included, into a buffer of exactly its size.
 *
 * @param <P> the packet record
 */
@FunctionalInterface
public interface PacketEncoder<P extends MqttPacket> {

    ByteBuf encode(P packet, MqttVersion version, ByteBufAllocator alloc);
}
