package io.switchboard.broker.config;

import java.util.List;

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
 * @param maxOutboundBytes bytes written towards one client and not yet taken by its socket before
 *     it counts as not keeping up: publishers to it wait, for at most {@code slowSubscriberTimeoutMillis};
 *     default 8 MiB. Twice this is the hard bound, beyond which its QoS 0 messages are dropped
 * @param slowSubscriberTimeoutMillis how long a subscriber that does not keep up may hold its
 *     publishers back; after that it is declared slow and its QoS 0 messages are dropped (counted,
 *     logged once) until it reads again, while its QoS 1/2 messages wait in its queue; default 5000
 * @param wildcardSubscriptionAvailable whether filters may contain '+' and '#'; default true
 * @param subscriptionIdentifiersAvailable whether SUBSCRIBE may carry a Subscription Identifier; default true
 * @param sharedSubscriptionAvailable whether {@code $share/{group}/{filter}} is supported; default true
 * @param sharedSubscriptionStrategy how a shared group's member is chosen: {@code round-robin}
 *     (default) or {@code least-unacknowledged}
 * @param outboundTopicAliasMaximum topic aliases the broker sets towards a 5.0 client (never more than
 *     the client allows); 0 turns them off; default 32
 * @param responseInformation whether a 5.0 client that asks for Response Information gets a private
 *     reply-topic prefix {@code $reply/{client id}}; default true
 */
public record MqttConfig(Integer maxPacketSize, Integer receiveMaximum, Integer maxInflight, Integer maxQos,
        Boolean retainAvailable, Integer topicAliasMaximum, Integer maxKeepAlive, Integer connectTimeoutSeconds,
        Integer maxClientIdLength, Integer maxOutboundBytes, Integer slowSubscriberTimeoutMillis,
        Boolean wildcardSubscriptionAvailable, Boolean subscriptionIdentifiersAvailable,
        Boolean sharedSubscriptionAvailable, String sharedSubscriptionStrategy, Integer outboundTopicAliasMaximum,
        Boolean responseInformation) {

    /** The names {@code sharedSubscriptionStrategy} accepts. */
    public static final List<String> SHARED_STRATEGIES = List.of("round-robin", "least-unacknowledged");

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
        maxOutboundBytes = Check.range("mqtt.maxOutboundBytes", maxOutboundBytes, 8 << 20, 64 << 10, 1 << 30);
        slowSubscriberTimeoutMillis = Check.range("mqtt.slowSubscriberTimeoutMillis", slowSubscriberTimeoutMillis,
                5000, 0, 3_600_000);
        wildcardSubscriptionAvailable = wildcardSubscriptionAvailable == null || wildcardSubscriptionAvailable;
        subscriptionIdentifiersAvailable = subscriptionIdentifiersAvailable == null || subscriptionIdentifiersAvailable;
        sharedSubscriptionAvailable = sharedSubscriptionAvailable == null || sharedSubscriptionAvailable;
        sharedSubscriptionStrategy = sharedSubscriptionStrategy == null ? "round-robin" : sharedSubscriptionStrategy;
        if (!SHARED_STRATEGIES.contains(sharedSubscriptionStrategy)) {
            throw ConfigException.badValue("mqtt.sharedSubscriptionStrategy", sharedSubscriptionStrategy,
                    "one of " + SHARED_STRATEGIES);
        }
        outboundTopicAliasMaximum = Check.range("mqtt.outboundTopicAliasMaximum", outboundTopicAliasMaximum, 32, 0,
                65_535);
        responseInformation = responseInformation == null || responseInformation;
    }

    public static MqttConfig defaults() {
        return new MqttConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
