package io.switchboard.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.decode.AuthDecoder;
import io.switchboard.codec.decode.ConnackDecoder;
import io.switchboard.codec.decode.ConnectDecoder;
import io.switchboard.codec.decode.DisconnectDecoder;
import io.switchboard.codec.decode.PacketDecoder;
import io.switchboard.codec.decode.PingreqDecoder;
import io.switchboard.codec.decode.PingrespDecoder;
import io.switchboard.codec.decode.PubackDecoder;
import io.switchboard.codec.decode.PubcompDecoder;
import io.switchboard.codec.decode.PublishDecoder;
import io.switchboard.codec.decode.PubrecDecoder;
import io.switchboard.codec.decode.PubrelDecoder;
import io.switchboard.codec.decode.SubackDecoder;
import io.switchboard.codec.decode.SubscribeDecoder;
import io.switchboard.codec.decode.UnsubackDecoder;
import io.switchboard.codec.decode.UnsubscribeDecoder;
import io.switchboard.codec.encode.AuthEncoder;
import io.switchboard.codec.encode.ConnackEncoder;
import io.switchboard.codec.encode.ConnectEncoder;
import io.switchboard.codec.encode.DisconnectEncoder;
import io.switchboard.codec.encode.EmptyPacketEncoder;
import io.switchboard.codec.encode.PacketEncoder;
import io.switchboard.codec.encode.PubackEncoder;
import io.switchboard.codec.encode.PubcompEncoder;
import io.switchboard.codec.encode.PublishEncoder;
import io.switchboard.codec.encode.PubrecEncoder;
import io.switchboard.codec.encode.PubrelEncoder;
import io.switchboard.codec.encode.SubackEncoder;
import io.switchboard.codec.encode.SubscribeEncoder;
import io.switchboard.codec.encode.UnsubackEncoder;
import io.switchboard.codec.encode.UnsubscribeEncoder;
import io.switchboard.codec.packet.MqttPacket;

/** The one table from packet type to its decoder and encoder. */
public final class MqttCodec {
    private static final PacketDecoder<?>[] DECODERS = new PacketDecoder<?>[16];
    private static final PacketEncoder<?>[] ENCODERS = new PacketEncoder<?>[16];

    static {
        register(PacketType.CONNECT, new ConnectDecoder(), new ConnectEncoder());
        register(PacketType.CONNACK, new ConnackDecoder(), new ConnackEncoder());
        register(PacketType.PUBLISH, new PublishDecoder(), new PublishEncoder());
        register(PacketType.PUBACK, new PubackDecoder(), new PubackEncoder());
        register(PacketType.PUBREC, new PubrecDecoder(), new PubrecEncoder());
        register(PacketType.PUBREL, new PubrelDecoder(), new PubrelEncoder());
        register(PacketType.PUBCOMP, new PubcompDecoder(), new PubcompEncoder());
        register(PacketType.SUBSCRIBE, new SubscribeDecoder(), new SubscribeEncoder());
        register(PacketType.SUBACK, new SubackDecoder(), new SubackEncoder());
        register(PacketType.UNSUBSCRIBE, new UnsubscribeDecoder(), new UnsubscribeEncoder());
        register(PacketType.UNSUBACK, new UnsubackDecoder(), new UnsubackEncoder());
        register(PacketType.PINGREQ, new PingreqDecoder(), new EmptyPacketEncoder<>(PacketType.PINGREQ));
        register(PacketType.PINGRESP, new PingrespDecoder(), new EmptyPacketEncoder<>(PacketType.PINGRESP));
        register(PacketType.DISCONNECT, new DisconnectDecoder(), new DisconnectEncoder());
        register(PacketType.AUTH, new AuthDecoder(), new AuthEncoder());
    }

    private MqttCodec() {
    }

    private static void register(PacketType type, PacketDecoder<?> decoder, PacketEncoder<?> encoder) {
        DECODERS[type.code()] = decoder;
        ENCODERS[type.code()] = encoder;
    }

    /**
     * Decodes the body of one packet whose fixed header has been read and checked.
     *
     * @throws MqttDecodeException when the packet breaks a rule
     */
    public static MqttPacket decode(PacketType type, int flags, ByteBuf body, MqttVersion version) {
        return DECODERS[type.code()].decode(flags, body, version);
    }

    /** Encodes a whole packet (fixed header included) for a protocol version. */
    @SuppressWarnings("unchecked")
    public static ByteBuf encode(MqttPacket packet, MqttVersion version, ByteBufAllocator alloc) {
        PacketEncoder<MqttPacket> encoder = (PacketEncoder<MqttPacket>) ENCODERS[packet.type().code()];
        return encoder.encode(packet, version, alloc);
    }
}
