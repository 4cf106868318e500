package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;

/** CONNECT (section 3.1) for 3.1, 3.1.1 and 5.0: the version is read from the packet itself. */
public final class ConnectDecoder implements PacketDecoder<ConnectPacket> {

    @Override
    public ConnectPacket decode(int flags, ByteBuf body, MqttVersion unused) {
        String protocolName = MqttStrings.readString(body, "CONNECT protocol name");
        int level = DecodeSupport.readByte(body, "CONNECT protocol level");
        MqttVersion version = MqttVersion.of(protocolName, level);
        if (version == null) {
            if (protocolName.equals("MQTT") || protocolName.equals("MQIsdp")) {
                // [MQTT-3.1.2-2] unsupported level: CONNACK 0x01 (3.1.1) / 0x84, then close. The
                // refusal is sent in 3.1.1 form, the one every client can read.
                throw new MqttDecodeException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                        "protocol level " + level + " is not supported; supported: 3 (MQIsdp), 4 and 5 (MQTT)",
                        MqttVersion.V3_1_1);
            }
            // [MQTT-3.1.2-1] a wrong protocol name: close without CONNACK.
            throw MqttDecodeException.protocolError("protocol name '" + protocolName
                    + "' is not MQTT or MQIsdp");
        }
        try {
            return decodeRest(body, version);
        } catch (MqttDecodeException e) {
            throw e.withVersion(version);
        }
    }

    private static ConnectPacket decodeRest(ByteBuf body, MqttVersion version) {
        int connectFlags = DecodeSupport.readByte(body, "CONNECT flags");
        if ((connectFlags & 0x01) != 0) {
            // [MQTT-3.1.2-3] the reserved flag MUST be 0.
            throw MqttDecodeException.malformed("CONNECT reserved flag (bit 0) is set");
        }
        boolean cleanStart = (connectFlags & 0x02) != 0;
        boolean willFlag = (connectFlags & 0x04) != 0;
        int willQos = (connectFlags >> 3) & 0x03;
        boolean willRetain = (connectFlags & 0x20) != 0;
        boolean passwordFlag = (connectFlags & 0x40) != 0;
        boolean usernameFlag = (connectFlags & 0x80) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            // [MQTT-3.1.2-11] / [MQTT-3.1.2-13] without a Will, Will QoS and Will Retain MUST be 0.
            throw MqttDecodeException.malformed("Will QoS or Will Retain is set without the Will Flag");
        }
        if (willQos == 3) {
            // [MQTT-3.1.2-12] Will QoS MUST NOT be 3.
            throw MqttDecodeException.malformed("Will QoS is 3; allowed 0, 1 or 2");
        }
        if (!version.isV5() && passwordFlag && !usernameFlag) {
            // [MQTT-3.1.2-22] (3.1.1) a password without a user name is not allowed.
            throw MqttDecodeException.malformed("Password Flag is set without the User Name Flag");
        }
        int keepAlive = MqttStrings.readUnsignedShort(body, "CONNECT keep alive");
        Properties properties = version.isV5()
                ? PropertiesCodec.decode(body, PropertyScope.CONNECT) : Properties.EMPTY;
        String clientId = MqttStrings.readString(body, "client identifier");
        Will will = null;
        if (willFlag) {
            Properties willProperties = version.isV5()
                    ? PropertiesCodec.decode(body, PropertyScope.WILL) : Properties.EMPTY;
            String willTopic = MqttStrings.readString(body, "Will Topic");
            byte[] willPayload = MqttStrings.readBinary(body, "Will Payload");
            will = new Will(willTopic, Payload.wrap(willPayload), willQos, willRetain, willProperties);
        }
        String username = usernameFlag ? MqttStrings.readString(body, "User Name") : null;
        byte[] password = passwordFlag ? MqttStrings.readBinary(body, "Password") : null;
        DecodeSupport.requireEnd(body, "CONNECT");
        return new ConnectPacket(version, cleanStart, keepAlive, clientId, will, username, password, properties);
    }
}
