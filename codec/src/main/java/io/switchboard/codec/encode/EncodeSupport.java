package io.switchboard.codec.encode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.wire.VariableByteInteger;

/** The fixed header, shared by every encoder. */
final class EncodeSupport {
    private EncodeSupport() {
    }

    /** Allocates the whole packet's buffer and writes its fixed header. */
    static ByteBuf start(ByteBufAllocator alloc, PacketType type, int flags, int remainingLength) {
        return start(alloc, type, flags, remainingLength, remainingLength);
    }

    /** As {@link #start(ByteBufAllocator, PacketType, int, int)}, reserving only {@code bodyCapacity}. */
    static ByteBuf start(ByteBufAllocator alloc, PacketType type, int flags, int remainingLength, int bodyCapacity) {
        if (remainingLength > VariableByteInteger.MAX_VALUE) {
            throw new IllegalArgumentException(type + " of " + remainingLength + " bytes is larger than MQTT allows");
        }
        ByteBuf buf = alloc.buffer(1 + VariableByteInteger.size(remainingLength) + bodyCapacity);
        buf.writeByte(type.code() << 4 | flags);
        VariableByteInteger.write(buf, remainingLength);
        return buf;
    }
}
