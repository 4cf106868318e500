package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.MqttPacket;

/**
 * Decodes the variable header and payload of one packet type. A decoder never touches a channel:
 * it returns a record or throws {@link io.switchboard.codec.MqttDecodeException}.
 *
 * @param <P> the packet record
 */
@FunctionalInterface
public interface PacketDecoder<P extends MqttPacket> {

    /**
     * @param flags the low four bits of the fixed header (already checked for fixed-flag types)
     * @param body exactly the packet's remaining length; the decoder must consume all of it
     * @param version the connection's protocol version; null only while decoding CONNECT
     */
    P decode(int flags, ByteBuf body, MqttVersion version);
}
