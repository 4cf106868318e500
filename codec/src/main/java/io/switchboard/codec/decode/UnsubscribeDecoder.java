package io.switchboard.codec.decode;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.PropertiesCodec;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.wire.MqttStrings;
import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE (section 3.10). */
public final class UnsubscribeDecoder implements PacketDecoder<UnsubscribePacket> {

    @Override
    public UnsubscribePacket decode(int flags, ByteBuf body, MqttVersion version) {
        int packetId = DecodeSupport.packetId(body, "UNSUBSCRIBE");
        Properties props = version.isV5() ? PropertiesCodec.decode(body, PropertyScope.UNSUBSCRIBE) : Properties.EMPTY;
        List<String> filters = new ArrayList<>();
        while (body.isReadable()) {
            filters.add(MqttStrings.readString(body, "UNSUBSCRIBE topic filter"));
        }
        if (filters.isEmpty()) {
            // [MQTT-3.10.3-2] the payload MUST contain at least one topic filter.
            throw MqttDecodeException.protocolError("UNSUBSCRIBE has no topic filter");
        }
        return new UnsubscribePacket(packetId, filters, props);
    }
}
