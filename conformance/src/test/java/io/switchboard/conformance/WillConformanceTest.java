package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.disconnect;
import static io.switchboard.conformance.Conformance.expectClosedWithoutPacket;
import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Will Message: 3.1.1 sections 3.1.2.5-3.1.2.7; 5.0 sections 3.1.2.5-3.1.2.7, 3.1.3.2, 3.14.4. */
class WillConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static Will will(String topic, String payload) {
        return new Will(topic, Payload.utf8(payload), 1, false, Properties.EMPTY);
    }

    private static Will delayedWill(String topic, long delay) {
        return new Will(topic, Payload.utf8("delayed"), 1, false,
                Properties.builder().willDelayInterval(delay).build());
    }

    /** A client subscribed (QoS 1) to the will topic. */
    private static RawClient watcher(MqttVersion v, String name, String topic) {
        RawClient w = connect(broker, connectPacket(v, "wl-watch-" + name + "-" + v, true, null, 0, null), false);
        subscribe(w, 1, topic, 1);
        return w;
    }

    /**
     * Proves the watcher got no Will: once the will client's session is gone (any Will is routed by
     * then), a marker is published to the topic and must be the watcher's next PUBLISH.
     */
    private static void expectNoWill(RawClient watcher, String willClientId, String topic) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> broker.broker().sessions().get(willClientId) == null);
        expectMarkerNext(watcher, topic);
    }

    private static void expectMarkerNext(RawClient watcher, String topic) {
        try (RawClient pub = connect(broker, connectPacket(watcher.version(), "wl-marker-" + topic, true, null, 0,
                null), false)) {
            publish(pub, topic, 1, 1, "marker");
        }
        receive(watcher, topic, "marker");
        watcher.expectNothingMore();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the Will is published when the connection is lost, not retained [MQTT-3.1.2-8], "
            + "[MQTT-3.1.2-16] (3.1.1) / [MQTT-3.1.2-14] (5.0)")
    void willOnConnectionLoss(MqttVersion v) {
        String topic = "wl/lost/" + v;
        try (RawClient w = watcher(v, "lost", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-lost-" + v, true, null, 0, will(topic, "gone")), false);
            c.close(); // no DISCONNECT
            PublishPacket p = receive(w, topic, "gone");
            assertThat(p.retain()).isFalse();
            assertThat(p.qos()).isEqualTo(1);
            w.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("no Will after a normal DISCONNECT [MQTT-3.1.2-10], 5.0 [MQTT-3.14.4-3]")
    void noWillAfterDisconnect(MqttVersion v) {
        String topic = "wl/normal/" + v;
        String id = "wl-normal-" + v;
        try (RawClient w = watcher(v, "normal", topic)) {
            RawClient c = connect(broker, connectPacket(v, id, true, null, 0, will(topic, "must-not")), false);
            disconnect(c);
            expectNoWill(w, id, topic);
        }
    }

    @Test
    @DisplayName("5.0 DISCONNECT with reason 0x04 publishes the Will (3.14.2.1)")
    void disconnectWithWillMessage() {
        MqttVersion v = MqttVersion.V5;
        String topic = "wl/0x04";
        try (RawClient w = watcher(v, "0x04", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-0x04", true, null, 0, will(topic, "asked")), false);
            c.send(new DisconnectPacket(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
            c.expectClosed();
            c.close();
            receive(w, topic, "asked");
            w.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a Will with Will Retain 1 is published retained [MQTT-3.1.2-17] (3.1.1) / [MQTT-3.1.2-15] (5.0)")
    void retainedWill(MqttVersion v) {
        String topic = "wl/retained/" + v;
        try (RawClient w = watcher(v, "retained", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-retained-" + v, true, null, 0,
                    new Will(topic, Payload.utf8("kept"), 1, true, Properties.EMPTY)), false);
            c.close();
            receive(w, topic, "kept"); // published: now it is in the retained store
        }
        try (RawClient late = connect(broker, connectPacket(v, "wl-late-" + v, true, null, 0, null), false)) {
            subscribe(late, 1, topic, 1);
            PublishPacket p = receive(late, topic, "kept");
            assertThat(p.retain()).as("RETAIN flag of a retained message sent to a new subscription").isTrue();
            late.expectNothingMore();
        }
        try (RawClient cleanup = connect(broker, connectPacket(v, "wl-cleanup-" + v, true, null, 0, null), false)) {
            publish(cleanup, new PublishPacket(topic, 0, true, false, 0, Properties.EMPTY, Payload.EMPTY));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the Will is published when the keep alive expires [MQTT-3.1.2-8], [MQTT-3.1.2-24] (3.1.1) / "
            + "[MQTT-3.1.2-22] (5.0)")
    void willOnKeepAliveTimeout(MqttVersion v) {
        String topic = "wl/keepalive/" + v;
        try (RawClient w = watcher(v, "keepalive", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-keepalive-" + v, true, null, 1,
                    will(topic, "silent")), false);
            expectDisconnectOrClose(c, ReasonCode.KEEP_ALIVE_TIMEOUT);
            c.close();
            receive(w, topic, "silent");
            w.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 Will properties are carried to subscribers: Payload Format Indicator, Content Type, Response Topic, "
            + "Correlation Data, User Properties in order [MQTT-3.1.3-10], Message Expiry Interval (3.1.3.2)")
    void willProperties() {
        MqttVersion v = MqttVersion.V5;
        String topic = "wl/props";
        byte[] correlation = {1, 2, 3, 4};
        Properties props = Properties.builder().payloadFormatIndicator(1).contentType("text/plain")
                .responseTopic("wl/props/reply").correlationData(correlation).messageExpiryInterval(100L)
                .userProperty("k", "1").userProperty("a", "2").userProperty("k", "3").build();
        try (RawClient w = watcher(v, "props", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-props", true, null, 0,
                    new Will(topic, Payload.utf8("with properties"), 1, false, props)), false);
            c.close();
            PublishPacket p = receive(w, topic, "with properties");
            Properties got = p.properties();
            assertThat(got.payloadFormatIndicator()).isEqualTo(1);
            assertThat(got.contentType()).isEqualTo("text/plain");
            assertThat(got.responseTopic()).isEqualTo("wl/props/reply");
            assertThat(got.correlationData()).containsExactly(correlation);
            assertThat(got.userProperties()).containsExactly(new UserProperty("k", "1"), new UserProperty("a", "2"),
                    new UserProperty("k", "3"));
            assertThat(got.messageExpiryInterval()).isBetween(1L, 100L); // [MQTT-3.3.2-6]
            assertThat(got.willDelayInterval()).isNull();
            w.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 reconnecting before the Will Delay Interval passed: no Will [MQTT-3.1.3-9]")
    void willDelayCancelledByReconnect() {
        MqttVersion v = MqttVersion.V5;
        String topic = "wl/delay-reconnect";
        String id = "wl-delay-reconnect";
        try (RawClient w = watcher(v, "delay-reconnect", topic)) {
            RawClient c = connect(broker, connectPacket(v, id, false, 60L, 0, delayedWill(topic, 2)), false);
            c.close();
            long closedAt = System.currentTimeMillis();
            try (RawClient again = connect(broker, connectPacket(v, id, false, 60L, 0, null), true)) {
                // Wait on the clock until the 2 s delay would have passed, then prove nothing came.
                await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > closedAt + 3_000);
                expectMarkerNext(w, topic);
                Conformance.disconnect(again);
            }
        }
    }

    @Test
    @DisplayName("5.0 Will Delay Interval 1 s without reconnection: the Will is published after the delay [MQTT-3.1.2-8]")
    void willDelayElapses() {
        MqttVersion v = MqttVersion.V5;
        String topic = "wl/delay";
        try (RawClient w = watcher(v, "delay", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-delay", false, 60L, 0, delayedWill(topic, 1)), false);
            long start = System.nanoTime();
            c.close();
            receive(w, topic, "delayed"); // waits up to 10 s
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms before the Will").isGreaterThanOrEqualTo(900);
            w.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 Will Delay Interval longer than the Session Expiry Interval: the Will goes when the session ends "
            + "[MQTT-3.1.2-8], 3.1.3.2.2")
    void willWhenSessionEnds() {
        MqttVersion v = MqttVersion.V5;
        String topic = "wl/session-end";
        String id = "wl-session-end";
        try (RawClient w = watcher(v, "session-end", topic)) {
            RawClient c = connect(broker, connectPacket(v, id, false, 1L, 0, delayedWill(topic, 600)), false);
            c.close();
            receive(w, topic, "delayed"); // within 10 s, not 600 s
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().sessions().get(id) == null);
            expectMarkerNext(w, topic); // published once
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the Will is published when the server closes the connection for a malformed packet "
            + "[MQTT-3.1.2-8], [MQTT-2.2.2-2] (3.1.1) / [MQTT-2.1.3-1] (5.0)")
    void willOnProtocolError(MqttVersion v) {
        String topic = "wl/malformed/" + v;
        try (RawClient w = watcher(v, "malformed", topic)) {
            RawClient c = connect(broker, connectPacket(v, "wl-malformed-" + v, true, null, 0,
                    will(topic, "broken")), false);
            c.sendBytes(0x80, 0x00); // SUBSCRIBE with fixed header flags 0 instead of 2
            expectDisconnectOrClose(c, ReasonCode.MALFORMED_PACKET);
            c.close();
            receive(w, topic, "broken");
            w.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a takeover publishes the old connection's Will (delay 0) [MQTT-3.1.2-8], 5.0 3.1.4")
    void takeoverPublishesWill(MqttVersion v) {
        String topic = "wl/takeover/" + v;
        String id = "wl-takeover-" + v;
        try (RawClient w = watcher(v, "takeover", topic)) {
            RawClient old = connect(broker, connectPacket(v, id, false, 60L, 0, will(topic, "replaced")), false);
            try (RawClient fresh = connect(broker, connectPacket(v, id, false, 60L, 0, null), true)) {
                expectDisconnectOrClose(old, ReasonCode.SESSION_TAKEN_OVER);
                old.close();
                receive(w, topic, "replaced");
                w.expectNothingMore();
                disconnect(fresh);
            }
        }
    }

    // ---- Will rules checked at CONNECT ----

    /** Sends a CONNECT with this Will; 5.0 expects CONNACK with {@code rc} then the close. */
    private static void expectWillRefused(MqttVersion v, String id, Will will, ReasonCode rc) {
        try (RawClient c = RawClient.connect(broker.port(), connectPacket(v, id, true, null, 0, will))) {
            ConnackPacket ack = c.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(rc);
            assertThat(ack.sessionPresent()).isFalse();
            expectClosedWithoutPacket(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a Will Topic with a wildcard is refused at CONNECT [MQTT-3.3.2-2]: 5.0 CONNACK 0x90 Topic Name "
            + "invalid, 3.1.1 closed without a successful CONNACK")
    void willTopicWithWildcard(MqttVersion v) {
        Will w = will("wl/wild/+", "never");
        if (v.isV5()) {
            expectWillRefused(v, "wl-wild-" + v, w, ReasonCode.TOPIC_NAME_INVALID);
            return;
        }
        try (RawClient c = RawClient.connect(broker.port(), connectPacket(v, "wl-wild-" + v, true, null, 0, w))) {
            assertThat(c.receiveUntilClosed()).as("packets before the close")
                    .noneMatch(p -> p instanceof ConnackPacket a && a.reasonCode() == ReasonCode.SUCCESS);
        }
    }

    @Test
    @DisplayName("5.0 a Will with Payload Format Indicator 1 and a payload that is not UTF-8: CONNACK 0x99 Payload "
            + "format invalid (3.1.3.2.3)")
    void willPayloadNotUtf8() {
        Will w = new Will("wl/not-utf8", Payload.wrap(new byte[] {'o', 'k', (byte) 0xC3, 0x28}), 1, false,
                Properties.builder().payloadFormatIndicator(1).build());
        expectWillRefused(MqttVersion.V5, "wl-not-utf8", w, ReasonCode.PAYLOAD_FORMAT_INVALID);
    }

    @Test
    @DisplayName("5.0 a Will Response Topic with a wildcard: CONNACK 0x82 Protocol Error [MQTT-3.3.2-14] (3.1.3.2.5)")
    void willResponseTopicWithWildcard() {
        Will w = new Will("wl/resp", Payload.utf8("x"), 1, false,
                Properties.builder().responseTopic("wl/replies/#").build());
        expectWillRefused(MqttVersion.V5, "wl-resp-wild", w, ReasonCode.PROTOCOL_ERROR);
    }
}
