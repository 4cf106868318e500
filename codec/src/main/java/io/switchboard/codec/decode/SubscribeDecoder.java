package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;
import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE (section 3.8) with its Subscription Options. */
public final class SubscribeDecoder implements PacketDecoder<SubscribePacket> {

    @Override
    public SubscribePacket decode(int flags, ByteBuf body, MqttVersion version) {
        int packetId = DecodeSupport.packetId(body, "SUBSCRIBE");
        Properties props = version.isV5() ? PropertiesCodec.decode(body, PropertyScope.SUBSCRIBE) : Properties.EMPTY;
        List<TopicSubscription> subs = new ArrayList<>();
        while (body.isReadable()) {
            String filter = MqttStrings.readString(body, "SUBSCRIBE topic filter");
            int options = DecodeSupport.readByte(body, "Subscription Options of '" + filter + "'");
            int qos = options & 0x03;
            if (qos == 3) {
                // 3.1.1 [MQTT-3-8.3-4]: a Malformed Packet; 5.0 section 3.8.3.1: "It is a Protocol
                // Error if the Maximum QoS field has the value 3".
                String message = "SUBSCRIBE asks for QoS 3 on '" + filter + "'; allowed 0, 1 or 2";
                throw version.isV5() ? MqttDecodeException.protocolError(message)
                        : MqttDecodeException.malformed(message);
            }
            if (version.isV5()) {
                if ((options & 0xC0) != 0) {
                    // [MQTT-3.8.3-5] reserved bits 6 and 7 MUST be 0.
                    throw MqttDecodeException.malformed("SUBSCRIBE options reserved bits 6-7 are set for '" + filter + "'");
                }
                int retainHandling = (options >> 4) & 0x03;
                if (retainHandling == 3) {
                    throw MqttDecodeException.protocolError("Retain Handling 3 on '" + filter + "'; allowed 0, 1 or 2");
                }
                subs.add(new TopicSubscription(filter, qos, (options & 0x04) != 0, (options & 0x08) != 0,
                        retainHandling));
            } else {
                if ((options & 0xFC) != 0) {
                    // [MQTT-3.8.3-4] (3.1.1) the upper 6 bits of the requested QoS byte MUST be 0.
                    throw MqttDecodeException.malformed("SUBSCRIBE reserved bits 2-7 are set for '" + filter + "'");
                }
                subs.add(new TopicSubscription(filter, qos));
            }
        }
        if (subs.isEmpty()) {
            // [MQTT-3.8.3-3] the payload MUST contain at least one topic filter.
            throw MqttDecodeException.protocolError("SUBSCRIBE has no topic filter");
        }
        return new SubscribePacket(packetId, subs, props);
    }
}
