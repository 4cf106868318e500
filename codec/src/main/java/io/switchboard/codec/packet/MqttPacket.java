package io.switchboard.codec.packet;

import io.switchboard.codec.PacketType;

/** An MQTT control packet, decoded or about to be encoded. Every implementation is an immutable record. */
public sealed interface MqttPacket permits ConnectPacket, ConnackPacket, PublishPacket, PubackPacket,
        PubrecPacket, PubrelPacket, PubcompPacket, SubscribePacket, SubackPacket, UnsubscribePacket,
        UnsubackPacket, PingreqPacket, PingrespPacket, DisconnectPacket, AuthPacket {

    PacketType type();
}
