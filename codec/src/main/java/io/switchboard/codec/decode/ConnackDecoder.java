package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;

/** CONNACK (section 3.2); 3.1.1 Connect Return Codes are mapped to their 5.0 reason codes. */
public final class ConnackDecoder implements PacketDecoder<ConnackPacket> {

    @Override
    public ConnackPacket decode(int flags, ByteBuf body, MqttVersion version) {
        int ackFlags = DecodeSupport.readByte(body, "CONNACK flags");
        if ((ackFlags & 0xFE) != 0) {
            // [MQTT-3.2.2-1] bits 7-1 are reserved and MUST be 0.
            throw MqttDecodeException.malformed("CONNACK reserved flags are set");
        }
        int code = DecodeSupport.readByte(body, "CONNACK reason code");
        ReasonCode rc = version.isV5() ? ReasonCode.of(PacketType.CONNACK, code) : fromReturnCode(code);
        Properties props = version.isV5() ? PropertiesCodec.decode(body, PropertyScope.CONNACK) : Properties.EMPTY;
        DecodeSupport.requireEnd(body, "CONNACK");
        return new ConnackPacket((ackFlags & 0x01) != 0, rc, props);
    }

    static ReasonCode fromReturnCode(int code) {
        return switch (code) {
            case 0 -> ReasonCode.SUCCESS;
            case 1 -> ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> ReasonCode.SERVER_UNAVAILABLE;
            case 4 -> ReasonCode.BAD_USER_NAME_OR_PASSWORD;
            case 5 -> ReasonCode.NOT_AUTHORIZED;
            default -> throw MqttDecodeException.malformed("CONNACK return code " + code + "; allowed 0..5");
        };
    }
}
