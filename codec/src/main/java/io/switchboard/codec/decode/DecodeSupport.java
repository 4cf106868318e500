package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.wire.MqttStrings;

/** Checks shared by several decoders. */
final class DecodeSupport {
    private DecodeSupport() {
    }

    /** Reads a Packet Identifier, which must not be 0 ([MQTT-2.2.1-3]). */
    static int packetId(ByteBuf body, String packet) {
        int id = MqttStrings.readUnsignedShort(body, packet + " packet identifier");
        if (id == 0) {
            throw MqttDecodeException.protocolError(packet + " has packet identifier 0; allowed 1..65535");
        }
        return id;
    }

    static void requireEnd(ByteBuf body, String packet) {
        if (body.isReadable()) {
            throw MqttDecodeException.malformed(packet + " has " + body.readableBytes()
                    + " unexpected bytes after its last field");
        }
    }

    static int readByte(ByteBuf body, String what) {
        if (!body.isReadable()) {
            throw MqttDecodeException.malformed(what + " is missing");
        }
        return body.readUnsignedByte();
    }
}
