package io.switchboard.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.wire.VariableByteInteger;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Frames the byte stream into packets: reads the fixed header, refuses a declared size over the
 * limit before buffering the body, slices the frame exactly and hands it to the packet's decoder.
 * After the first error it discards all further input: the connection is about to close.
 *
 * <p>Confined to its channel's event loop.
 */
public final class MqttFrameDecoder extends ByteToMessageDecoder {
    private final int maxPacketSize;
    private final LongConsumer bytesRead;
    private MqttVersion version;
    private boolean failed;

    /**
     * @param maxPacketSize the largest whole packet (fixed header included) accepted
     * @param version the protocol version, or null on a server, where the CONNECT sets it
     */
    public MqttFrameDecoder(int maxPacketSize, MqttVersion version) {
        this(maxPacketSize, version, null);
    }

    /** @param bytesRead told how many bytes arrive, before they are decoded (for traffic counters), or null */
    public MqttFrameDecoder(int maxPacketSize, MqttVersion version, LongConsumer bytesRead) {
        this.maxPacketSize = maxPacketSize;
        this.version = version;
        this.bytesRead = bytesRead;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (bytesRead != null && msg instanceof ByteBuf buf) {
            bytesRead.accept(buf.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            MqttPacket packet = decodeFrame(in);
            if (packet != null) {
                out.add(packet);
            }
        } catch (MqttDecodeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e.version() == null && version != null ? e.withVersion(version) : e;
        }
    }

    private MqttPacket decodeFrame(ByteBuf in) {
        int start = in.readerIndex();
        if (in.readableBytes() < 2) {
            return null;
        }
        int first = in.readUnsignedByte();
        int remaining = VariableByteInteger.tryRead(in, "remaining length");
        if (remaining == VariableByteInteger.INCOMPLETE) {
            in.readerIndex(start);
            return null;
        }
        long total = (long) (in.readerIndex() - start) + remaining;
        if (total > maxPacketSize) {
            // Refused from the fixed header alone, before the body is buffered.
            throw new MqttDecodeException(ReasonCode.PACKET_TOO_LARGE, "packet of " + total
                    + " bytes exceeds the Maximum Packet Size of " + maxPacketSize + " bytes");
        }
        if (in.readableBytes() < remaining) {
            in.readerIndex(start);
            return null;
        }
        PacketType type = PacketType.of(first >> 4);
        if (type == null) {
            throw MqttDecodeException.malformed("packet type 0 is reserved");
        }
        int flags = first & 0x0F;
        if (type.requiredFlags() >= 0 && flags != type.requiredFlags()) {
            // [MQTT-2.1.3-1] reserved fixed-header flags MUST be as the specification lists them.
            throw MqttDecodeException.malformed(String.format(
                    "%s fixed header flags are 0x%X; they must be 0x%X", type, flags, type.requiredFlags()));
        }
        ByteBuf body = in.readSlice(remaining);
        if (type == PacketType.CONNECT) {
            ConnectPacket connect = (ConnectPacket) MqttCodec.decode(type, flags, body, null);
            if (version == null) {
                version = connect.version();
            }
            return connect;
        }
        if (version == null) {
            // [MQTT-3.1.0-1] the first packet from a client MUST be CONNECT.
            throw MqttDecodeException.protocolError("the first packet must be CONNECT, not " + type);
        }
        return MqttCodec.decode(type, flags, body, version);
    }

    /** The version learnt from CONNECT (or given), null before. */
    public MqttVersion version() {
        return version;
    }
}
