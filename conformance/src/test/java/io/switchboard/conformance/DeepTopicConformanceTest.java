package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectPublish;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Topics with very many levels. MQTT bounds a topic only by its length (65535 bytes, so up to
 * 32768 levels of "a/a/..."): one client's deep topic must not break other clients' SUBSCRIBE,
 * PUBLISH or the deletion of a retained message.
 */
class DeepTopicConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    /** "prefix/a/a/.../a" with this many levels after the prefix. */
    private static String deep(String prefix, int levels) {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < levels; i++) {
            b.append("/a");
        }
        return b.toString();
    }

    @Test
    @DisplayName("a retained message on a topic of 30000 levels: a '#' subscriber gets it, and it can be deleted")
    void deepRetainedTopic() {
        String topic = deep("deep-retained", 30_000);
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "deep-ret-pub")) {
            Conformance.publishQos1(pub, topic, true, "deep");
            try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.V5, "deep-ret-sub")) {
                Conformance.subscribe(sub, "deep-retained/#", 0);
                assertThat(expectPublish(sub, topic, "deep").retain()).isTrue();
                sub.expectNothingMore();
            }
            Conformance.publishQos1(pub, topic, true, ""); // deletes the retained message
            pub.expectNothingMore();
            assertThat(broker.broker().retained().match("deep-retained/#", 0)).isEmpty();
        }
    }

    @Test
    @DisplayName("a subscription with a filter of 30000 levels matches, and can be unsubscribed")
    void deepSubscription() {
        String topic = deep("deep-sub", 30_000);
        String filter = deep("deep-sub", 29_999) + "/+";
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.V5, "deep-sub-sub");
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "deep-sub-pub")) {
            Conformance.subscribe(sub, filter, 0);
            assertThat(Conformance.publishQos1(pub, topic, false, "deep").reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            expectPublish(sub, topic, "deep");
            sub.send(new UnsubscribePacket(7, List.of(filter), Properties.EMPTY));
            UnsubackPacket ack = sub.expect(UnsubackPacket.class);
            assertThat(ack.reasonCodes()).containsExactly(ReasonCode.SUCCESS);
            assertThat(broker.broker().subscriptions().size()).isZero();
        }
    }
}
