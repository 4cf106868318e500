package io.switchboard.broker.config;

/**
 * Protocol limits and features, each advertised in the 5.0 CONNACK and enforced.
 *
 * @param maxPacketSize largest packet accepted from a client, in bytes (fixed header included); default 1 MiB
 * @param receiveMaximum QoS 2 PUBLISHes a client may have unacknowledged towards the broker; default 128
 * @param maxInflight QoS 1/2 PUBLISHes the broker keeps unacknowledged towards a client, before the
 *     client's own Receive Maximum lowers it; default 128
 * @param maxQos highest QoS accepted and granted, 0..2; default 2
 * @param retainAvailable whether retained messages are supported; default true
 * @param topicAliasMaximum topic aliases a 5.0 client may set towards the broker; default 32
 * @param maxKeepAlive highest keep alive in seconds; a 5.0 client asking more (or 0) gets Server Keep Alive; default 65535
 * @param connectTimeoutSeconds seconds a new connection has to send CONNECT; default 10
 * @param maxClientIdLength longest client identifier in bytes; default 65535
 * @param maxOutboundBytes bytes written towards one client and not yet taken by its socket; beyond
 *     this, QoS 0 messages to that client are dropped and counted (QoS 1/2 wait in the session
 *     queue); default 8 MiB
 */
public record MqttConfig(Integer maxPacketSize, Integer receiveMaximum, Integer maxInflight, Integer maxQos,
        Boolean retainAvailable, Integer topicAliasMaximum, Integer maxKeepAlive, Integer connectTimeoutSeconds,
        Integer maxClientIdLength, Integer maxOutboundBytes) {

    public MqttConfig {
        maxPacketSize = Check.range("mqtt.maxPacketSize", maxPacketSize, 1_048_576, 64, 268_435_460);
        receiveMaximum = Check.range("mqtt.receiveMaximum", receiveMaximum, 128, 1, 65_535);
        maxInflight = Check.range("mqtt.maxInflight", maxInflight, 128, 1, 65_535);
        maxQos = Check.range("mqtt.maxQos", maxQos, 2, 0, 2);
        retainAvailable = retainAvailable == null || retainAvailable;
        topicAliasMaximum = Check.range("mqtt.topicAliasMaximum", topicAliasMaximum, 32, 0, 65_535);
        maxKeepAlive = Check.range("mqtt.maxKeepAlive", maxKeepAlive, 65_535, 1, 65_535);
        connectTimeoutSeconds = Check.range("mqtt.connectTimeoutSeconds", connectTimeoutSeconds, 10, 1, 3600);
        maxClientIdLength = Check.range("mqtt.maxClientIdLength", maxClientIdLength, 65_535, 23, 65_535);
        maxOutboundBytes = Check.range("mqtt.maxOutboundBytes", maxOutboundBytes, 8 << 20, 64 << 10, Integer.MAX_VALUE);
    }

    public static MqttConfig defaults() {
        return new MqttConfig(null, null, null, null, null, null, null, null, null, null);
    }
}
