package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.ack;
import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker's outbound window (section 4.9 flow control, {@code mqtt.maxInflight}) and the client's
 * side of outbound QoS 2 (section 4.3.3): PUBREC for unknown ids and PUBREC with an error code.
 */
class InflightConformanceTest {
    static final int MAX_INFLIGHT = 2;

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg.withMqtt(
            new MqttConfig(null, null, MAX_INFLIGHT, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));

    private static String t(String name, MqttVersion v) {
        return "inflight/" + name + "/" + v;
    }

    /** A subscriber; a 5.0 one asks a Receive Maximum far above the broker's window. */
    private static RawClient subscriber(MqttVersion v, String id, Integer receiveMaximum) {
        Properties props = v.isV5() && receiveMaximum != null
                ? Properties.builder().receiveMaximum(receiveMaximum).build() : Properties.EMPTY;
        return Conformance.connectClean(broker.port(), v, id, props);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("mqtt.maxInflight 2: at most 2 unacknowledged QoS 1 PUBLISHes towards a client, even with a 5.0 "
            + "Receive Maximum of 1000 (section 4.9); the third follows a PUBACK")
    void maxInflightCapsTheWindow(MqttVersion v) {
        String topic = t("window", v);
        try (RawClient sub = subscriber(v, "if-window-sub-" + v, 1000);
                RawClient pub = RawClient.connect(broker.port(), v, "if-window-pub-" + v)) {
            subscribe(sub, topic, 1);
            for (int i = 1; i <= 4; i++) {
                Conformance.publishQos1(pub, topic, false, "m" + i);
            }
            PublishPacket m1 = expectPublish(sub, topic, "m1");
            PublishPacket m2 = expectPublish(sub, topic, "m2");
            sub.expectNothingMore(); // no third while two are unacknowledged
            sub.send(new PubackPacket(m1.packetId()));
            PublishPacket m3 = expectPublish(sub, topic, "m3");
            sub.expectNothingMore();
            sub.send(new PubackPacket(m2.packetId()));
            sub.send(new PubackPacket(m3.packetId()));
            PublishPacket m4 = expectPublish(sub, topic, "m4");
            sub.send(new PubackPacket(m4.packetId()));
            sub.expectNothingMore();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("PUBREC for a packet id the broker never sent: PUBREL with that id, 5.0 reason 0x92 Packet "
            + "Identifier not found (3.6.2.1)")
    void pubrecForUnknownId(MqttVersion v) {
        try (RawClient c = RawClient.connect(broker.port(), v, "if-unknown-rec-" + v)) {
            c.send(new PubrecPacket(4711));
            PubrelPacket rel = c.expect(PubrelPacket.class);
            assertThat(rel.packetId()).isEqualTo(4711);
            assertThat(rel.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND
                    : ReasonCode.SUCCESS);
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("5.0 PUBREC with an error reason code (0x80) ends the QoS 2 exchange: no PUBREL, and the "
            + "in-flight slot is free for the next message (section 4.3.3, 3.5.2.1)")
    void pubrecErrorEndsTheExchange() {
        MqttVersion v = MqttVersion.V5;
        String topic = t("rec-error", v);
        try (RawClient sub = subscriber(v, "if-rec-error-sub", 1);
                RawClient pub = RawClient.connect(broker.port(), v, "if-rec-error-pub")) {
            subscribe(sub, topic, 2);
            publish(pub, topic, 2, 1, "refused");
            publish(pub, topic, 2, 2, "next");
            PublishPacket refused = expectPublish(sub, topic, "refused");
            assertThat(refused.qos()).isEqualTo(2);
            sub.expectNothingMore(); // Receive Maximum 1: "next" waits
            sub.send(new PubrecPacket(refused.packetId(), ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));
            // The next packet is the queued PUBLISH, not a PUBREL for the refused one.
            PublishPacket next = expectPublish(sub, topic, "next");
            assertThat(next.qos()).isEqualTo(2);
            assertThat(next.dup()).isFalse();
            ack(sub, next);
            sub.expectNothingMore();
        }
    }
}
