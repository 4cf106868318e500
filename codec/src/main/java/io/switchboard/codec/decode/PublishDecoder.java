package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;

/** PUBLISH (section 3.3). The payload is copied once into an immutable {@link Payload}. */
public final class PublishDecoder implements PacketDecoder<PublishPacket> {

    @Override
    public PublishPacket decode(int flags, ByteBuf body, MqttVersion version) {
        boolean dup = (flags & 0x08) != 0;
        int qos = (flags >> 1) & 0x03;
        boolean retain = (flags & 0x01) != 0;
        if (qos == 3) {
            // [MQTT-3.3.1-4] a PUBLISH MUST NOT have both QoS bits set.
            throw MqttDecodeException.malformed("PUBLISH has QoS 3; allowed 0, 1 or 2");
        }
        if (qos == 0 && dup) {
            // [MQTT-3.3.1-2] the DUP flag MUST be 0 for all QoS 0 messages.
            throw MqttDecodeException.malformed("PUBLISH has DUP set with QoS 0");
        }
        String topic = MqttStrings.readString(body, "PUBLISH topic name");
        int packetId = qos > 0 ? DecodeSupport.packetId(body, "PUBLISH") : 0;
        Properties props = version.isV5() ? PropertiesCodec.decode(body, PropertyScope.PUBLISH) : Properties.EMPTY;
        byte[] payload = new byte[body.readableBytes()];
        body.readBytes(payload);
        return new PublishPacket(topic, qos, retain, dup, packetId, props, Payload.wrap(payload));
    }
}
