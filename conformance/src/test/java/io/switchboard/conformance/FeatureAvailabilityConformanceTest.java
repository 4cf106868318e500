package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectDisconnect;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Features a broker may switch off, each configured by an {@code mqtt.*} key, said so in the 5.0
 * CONNACK (section 3.2.2.3) and enforced. A 5.0 client that uses one anyway commits a Protocol
 * Error and gets the DISCONNECT the specification names; a 3.1.1 client, which was never told,
 * gets a SUBACK failure (0x80) for that filter. (Maximum QoS, Retain Available, Maximum Packet
 * Size, Receive Maximum and Server Keep Alive are in {@code QosFlowConformanceTest},
 * {@code ConnectConformanceTest}, {@code ConnectLimitsConformanceTest} and {@code KeepAliveConformanceTest}.)
 */
class FeatureAvailabilityConformanceTest {

    private static void subscribeV5(RawClient c, Properties props, String filter) {
        c.send(new SubscribePacket(Conformance.nextId(), List.of(new TopicSubscription(filter, 1)), props));
    }

    /** {@code mqtt.wildcardSubscriptionAvailable: false}. */
    @Nested
    class WithoutWildcardSubscriptions {
        @RegisterExtension
        static EmbeddedBroker off = Conformance.brokerWith("wildcardSubscriptionAvailable: false");

        @Test
        @DisplayName("5.0 CONNACK: Wildcard Subscription Available 0 (3.2.2.3.11); a filter without wildcards is"
                + " granted")
        void advertised() {
            var conn = Conformance.connectCleanWithAck(off.port(), MqttVersion.V5, "fa-wc-connack", Properties.EMPTY);
            try (RawClient c = conn.client()) {
                assertThat(conn.connack().properties().wildcardSubscriptionAvailable()).isZero();
                subscribe(c, "features/wildcards/plain", 1);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"features/+/x", "features/#", "#", "+", "$share/g/features/+"})
        @DisplayName("5.0: a SUBSCRIBE with a wildcard is a Protocol Error: DISCONNECT 0xA2 Wildcard Subscriptions"
                + " not supported (3.2.2.3.11, 4.13)")
        void wildcardSubscribeDisconnects(String filter) {
            try (RawClient c = RawClient.connect(off.port(), MqttVersion.V5, "fa-wc-5-" + Integer.toHexString(
                    filter.hashCode()))) {
                subscribeV5(c, Properties.EMPTY, filter);
                expectDisconnect(c, ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED);
            }
        }

        @Test
        @DisplayName("3.1.1: a wildcard filter gets SUBACK 0x80, the other filters of the SUBSCRIBE are granted"
                + " [MQTT-3.9.3-1]")
        void wildcardRefusedIn311() {
            try (RawClient c = RawClient.connect(off.port(), MqttVersion.V3_1_1, "fa-wc-311")) {
                SubackPacket ack = Conformance.subscribeForSuback(c, Properties.EMPTY,
                        new TopicSubscription("features/+/x", 1), new TopicSubscription("features/wildcards/y", 1),
                        new TopicSubscription("#", 0));
                assertThat(ack.reasonCodes()).extracting(ReasonCode::value).containsExactly(0x80, 0x01, 0x80);
                c.expectNothingMore();
            }
        }
    }

    /** {@code mqtt.subscriptionIdentifiersAvailable: false}. */
    @Nested
    class WithoutSubscriptionIdentifiers {
        @RegisterExtension
        static EmbeddedBroker off = Conformance.brokerWith("subscriptionIdentifiersAvailable: false");

        @Test
        @DisplayName("5.0 CONNACK: Subscription Identifiers Available 0 (3.2.2.3.12); a SUBSCRIBE without one is"
                + " granted; one with a Subscription Identifier is a Protocol Error: DISCONNECT 0xA1")
        void subscriptionIdentifierDisconnects() {
            var conn = Conformance.connectCleanWithAck(off.port(), MqttVersion.V5, "fa-subid", Properties.EMPTY);
            try (RawClient c = conn.client()) {
                assertThat(conn.connack().properties().subscriptionIdentifierAvailable()).isZero();
                subscribe(c, "features/subid/plain", 1);
                subscribeV5(c, Properties.builder().subscriptionIdentifier(5).build(), "features/subid/x");
                expectDisconnect(c, ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED);
            }
        }
    }

    /** {@code mqtt.sharedSubscriptionAvailable: false}. */
    @Nested
    class WithoutSharedSubscriptions {
        @RegisterExtension
        static EmbeddedBroker off = Conformance.brokerWith("sharedSubscriptionAvailable: false");

        @Test
        @DisplayName("5.0 CONNACK: Shared Subscription Available 0 (3.2.2.3.13); a SUBSCRIBE to $share/... is a"
                + " Protocol Error: DISCONNECT 0x9E Shared Subscriptions not supported (4.13)")
        void sharedSubscribeDisconnects() {
            var conn = Conformance.connectCleanWithAck(off.port(), MqttVersion.V5, "fa-shared-5", Properties.EMPTY);
            try (RawClient c = conn.client()) {
                assertThat(conn.connack().properties().sharedSubscriptionAvailable()).isZero();
                subscribe(c, "features/shared/plain", 1);
                subscribeV5(c, Properties.EMPTY, "$share/g/features/shared");
                expectDisconnect(c, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
            }
        }

        @Test
        @DisplayName("3.1.1: a $share/ filter gets SUBACK 0x80, the other filters are granted [MQTT-3.9.3-1]")
        void sharedRefusedIn311() {
            try (RawClient c = RawClient.connect(off.port(), MqttVersion.V3_1_1, "fa-shared-311")) {
                SubackPacket ack = Conformance.subscribeForSuback(c, Properties.EMPTY,
                        new TopicSubscription("$share/g/features/shared", 1),
                        new TopicSubscription("features/shared/x", 1));
                assertThat(ack.reasonCodes()).extracting(ReasonCode::value).containsExactly(0x80, 0x01);
                c.expectNothingMore();
            }
        }
    }

    /** {@code mqtt.topicAliasMaximum: 0}. */
    @Nested
    class WithoutInboundTopicAliases {
        @RegisterExtension
        static EmbeddedBroker off = Conformance.brokerWith("topicAliasMaximum: 0");

        @Test
        @DisplayName("5.0 CONNACK carries no Topic Alias Maximum (absent means 0: no alias may be sent"
                + " [MQTT-3.2.2-18]); a PUBLISH with Topic Alias 1 is DISCONNECT 0x94 [MQTT-3.3.2-9]")
        void topicAliasRefused() {
            try (RawClient c = RawClient.connect(off.port(), Conformance.connectPacket(MqttVersion.V5, "fa-alias",
                    true, null, 0, null))) {
                ConnackPacket ack = c.expect(ConnackPacket.class);
                assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                assertThat(ack.properties().topicAliasMaximum()).isNull();
                c.send(Conformance.publishPacket("features/alias", 1, 1, Properties.builder().topicAlias(1).build(),
                        "x"));
                expectDisconnect(c, ReasonCode.TOPIC_ALIAS_INVALID);
            }
        }
    }
}
