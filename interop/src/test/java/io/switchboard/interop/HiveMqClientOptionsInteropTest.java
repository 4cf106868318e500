package io.switchboard.interop;

import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HiveMQ 5.0 client: subscription options, flow control on a resumed session, large payloads. */
class HiveMqClientOptionsInteropTest extends HiveMqTestSupport {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    @Test
    void noLocalSubscriptionDoesNotGetItsOwnMessages() throws Exception {
        String topic = unique("hmq5/nolocal");
        Mqtt5BlockingClient self = v5(unique("hmq5-nolocal"));
        Mqtt5BlockingClient other = v5(unique("hmq5-nolocal-other"));
        self.connect();
        other.connect();
        var in = closing(self.publishes(MqttGlobalPublishFilter.ALL));
        self.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
        self.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("mine".getBytes(UTF_8)).send();
        other.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("theirs".getBytes(UTF_8)).send();
        assertThat(text(next(in))).isEqualTo("theirs");
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOnLiveMessages() throws Exception {
        String topic = unique("hmq5/rap");
        Mqtt5BlockingClient keep = v5(unique("hmq5-rap-keep"));
        Mqtt5BlockingClient plain = v5(unique("hmq5-rap-plain"));
        Mqtt5BlockingClient pub = v5(unique("hmq5-rap-pub"));
        keep.connect();
        plain.connect();
        pub.connect();
        var keepIn = closing(keep.publishes(MqttGlobalPublishFilter.ALL));
        var plainIn = closing(plain.publishes(MqttGlobalPublishFilter.ALL));
        keep.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
        plain.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload("live".getBytes(UTF_8)).send();
        assertThat(next(keepIn).isRetain()).isTrue();
        assertThat(next(plainIn).isRetain()).isFalse(); // [MQTT-3.3.1-12]
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).send(); // clear it
    }

    @Test
    void retainHandlingControlsRetainedMessagesOnSubscribe() throws Exception {
        String topic = unique("hmq5/rh");
        Mqtt5BlockingClient pub = v5(unique("hmq5-rh-pub"));
        pub.connect();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload("stored".getBytes(UTF_8))
                .send();

        Mqtt5BlockingClient never = v5(unique("hmq5-rh-2"));
        Mqtt5BlockingClient ifNew = v5(unique("hmq5-rh-1"));
        never.connect();
        ifNew.connect();
        var neverIn = closing(never.publishes(MqttGlobalPublishFilter.ALL));
        var ifNewIn = closing(ifNew.publishes(MqttGlobalPublishFilter.ALL));
        never.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
        ifNew.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
        Mqtt5Publish first = next(ifNewIn);
        assertThat(text(first)).isEqualTo("stored");
        assertThat(first.isRetain()).isTrue();
        // Subscribing again to an existing subscription: no retained message this time.
        ifNew.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("marker".getBytes(UTF_8)).send();
        assertThat(text(next(ifNewIn))).isEqualTo("marker");
        assertThat(text(next(neverIn))).isEqualTo("marker");
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).send(); // clear it
    }

    @Test
    void manyQueuedMessagesAreDeliveredInOrderWithinASmallReceiveMaximum() throws Exception {
        String id = unique("hmq5-flow");
        String topic = unique("hmq5/flow");
        Mqtt5BlockingClient first = v5(id);
        first.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        first.disconnect();

        Mqtt5BlockingClient pub = v5(unique("hmq5-flow-pub"));
        pub.connect();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            MqttQos qos = i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.EXACTLY_ONCE;
            pub.publishWith().topic(topic).qos(qos).payload(("n" + i).getBytes(UTF_8)).send();
            sent.add("n" + i);
        }

        Mqtt5BlockingClient again = v5(id);
        var in = closing(again.publishes(MqttGlobalPublishFilter.ALL));
        assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(0).restrictions().receiveMaximum(3)
                .applyRestrictions().send().isSessionPresent()).isTrue();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            got.add(text(next(in)));
        }
        assertThat(got).containsExactlyElementsOf(sent);
    }

    @Test
    void largePayloadRoundTrip() throws Exception {
        String topic = unique("hmq5/large");
        Mqtt5BlockingClient sub = v5(unique("hmq5-large-sub"));
        Mqtt5BlockingClient pub = v5(unique("hmq5-large-pub"));
        sub.connect();
        pub.connect();
        var in = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        byte[] payload = new byte[900 * 1024]; // under the broker's default 1 MiB Maximum Packet Size
        new Random(42).nextBytes(payload);
        pub.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(payload).send();
        assertThat(next(in).getPayloadAsBytes()).isEqualTo(payload);
    }
}
