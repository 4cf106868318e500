package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The thin path end to end: connect, subscribe, publish, receive, for each version. */
class SmokeTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void subscriberReceivesWhatIsPublished(MqttVersion v) {
        try (RawClient sub = RawClient.connect(broker.port(), v, "smoke-sub-" + v);
                RawClient pub = RawClient.connect(broker.port(), v, "smoke-pub-" + v)) {
            sub.send(new SubscribePacket(1, List.of(new TopicSubscription("smoke/+", 1)), Properties.EMPTY));
            assertThat(sub.expect(SubackPacket.class).reasonCodes()).containsExactly(ReasonCode.GRANTED_QOS_1);
            pub.send(new PublishPacket("smoke/1", 1, false, false, 7, Properties.EMPTY, Payload.utf8("hi")));
            assertThat(pub.expect(PubackPacket.class).packetId()).isEqualTo(7);
            PublishPacket got = sub.expect(PublishPacket.class);
            assertThat(got.topic()).isEqualTo("smoke/1");
            assertThat(got.payload().toUtf8String()).isEqualTo("hi");
            assertThat(got.qos()).isEqualTo(1);
            sub.send(new PubackPacket(got.packetId()));
            sub.expectNothingMore();
        }
    }
}
