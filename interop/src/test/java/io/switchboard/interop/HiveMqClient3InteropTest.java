package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HiveMQ MQTT Client's 3.1.1 API (Mqtt3Client) against Switchboard. */
class HiveMqClient3InteropTest extends HiveMqTestSupport {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void v3PublishAndReceiveAtEachQos(MqttQos qos) throws Exception {
        String topic = unique("hmq3/qos");
        Mqtt3BlockingClient sub = v3(unique("hmq3-sub"));
        Mqtt3BlockingClient pub = v3(unique("hmq3-pub"));
        sub.connect();
        pub.connect();
        var publishes = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(topic).qos(qos).send();
        pub.publishWith().topic(topic).qos(qos).payload("hello-3".getBytes(UTF_8)).send();
        Mqtt3Publish got = next(publishes);
        assertThat(got.getTopic().toString()).isEqualTo(topic);
        assertThat(got.getQos()).isEqualTo(qos);
        assertThat(text(got)).isEqualTo("hello-3");
    }

    @Test
    void v3WildcardSubscriptions() throws Exception {
        String base = unique("hmq3-wild");
        Mqtt3BlockingClient sub = v3(unique("hmq3-wsub"));
        Mqtt3BlockingClient pub = v3(unique("hmq3-wpub"));
        sub.connect();
        pub.connect();
        var in = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(base + "/+/x/#").qos(MqttQos.EXACTLY_ONCE).send();
        for (String t : List.of("a/x", "a/y/z", "b/x/c/d", "a/b/x/c", "end/x/end")) {
            pub.publishWith().topic(base + "/" + t).qos(MqttQos.EXACTLY_ONCE).payload(t.getBytes(UTF_8)).send();
        }
        assertThat(List.of(text(next(in)), text(next(in)), text(next(in))))
                .containsExactly("a/x", "b/x/c/d", "end/x/end");
    }

    @Test
    void v3SessionResumesWithMessagesQueuedWhileOffline() throws Exception {
        String id = unique("hmq3-persist");
        String topic = unique("hmq3/persist");
        Mqtt3BlockingClient first = v3(id);
        assertThat(first.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        first.disconnect();

        Mqtt3BlockingClient pub = v3(unique("hmq3-persist-pub"));
        pub.connect();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("one".getBytes(UTF_8)).send();
        pub.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload("two".getBytes(UTF_8)).send();

        Mqtt3BlockingClient again = v3(id);
        var in = closing(again.publishes(MqttGlobalPublishFilter.ALL));
        assertThat(again.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
        Mqtt3Publish one = next(in);
        Mqtt3Publish two = next(in);
        assertThat(List.of(text(one), text(two))).containsExactly("one", "two");
        assertThat(two.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
        again.disconnect();
        again.connectWith().cleanSession(true).send(); // discard the session
    }

    @Test
    void v3SessionTakeoverClosesTheFirstClient() throws Exception {
        String id = unique("hmq3-takeover");
        CompletableFuture<MqttDisconnectSource> firstDisconnected = new CompletableFuture<>();
        Mqtt3BlockingClient first = Mqtt3Client.builder().identifier(id).serverHost(broker.host())
                .serverPort(broker.port())
                .addDisconnectedListener(ctx -> firstDisconnected.complete(ctx.getSource())).buildBlocking();
        toClose.add(() -> {
            if (first.getState().isConnectedOrReconnect()) {
                first.disconnect();
            }
        });
        first.connect();
        Mqtt3BlockingClient second = v3(id);
        second.connect();
        assertThat(firstDisconnected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(MqttDisconnectSource.SERVER);
        String topic = unique("hmq3/takeover");
        var in = closing(second.publishes(MqttGlobalPublishFilter.ALL));
        second.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        second.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("still-here".getBytes(UTF_8)).send();
        assertThat(text(next(in))).isEqualTo("still-here");
    }

    @Test
    void emptyClientIdWithCleanSessionIsAccepted() throws Exception {
        Mqtt3BlockingClient anon = Mqtt3Client.builder().serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        toClose.add(() -> {
            if (anon.getState().isConnectedOrReconnect()) {
                anon.disconnect();
            }
        });
        anon.connectWith().cleanSession(true).send();
        String topic = unique("hmq3/anon");
        var in = closing(anon.publishes(MqttGlobalPublishFilter.ALL));
        anon.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        anon.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("anon".getBytes(UTF_8)).send();
        assertThat(text(next(in))).isEqualTo("anon");
    }

    @Test
    void qosIsDowngradedToTheGrantedQosAndUnsubscribeStopsDelivery() throws Exception {
        String topic = unique("hmq3/downgrade");
        Mqtt3BlockingClient sub = v3(unique("hmq3-dg-sub"));
        Mqtt3BlockingClient pub = v3(unique("hmq3-dg-pub"));
        sub.connect();
        pub.connect();
        var in = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_MOST_ONCE).send();
        sub.subscribeWith().topicFilter(topic + "/marker").qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload("two".getBytes(UTF_8)).send();
        Mqtt3Publish got = next(in);
        assertThat(text(got)).isEqualTo("two");
        assertThat(got.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);

        sub.unsubscribeWith().topicFilter(topic).send();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("gone".getBytes(UTF_8)).send();
        pub.publishWith().topic(topic + "/marker").qos(MqttQos.AT_LEAST_ONCE).payload("marker".getBytes(UTF_8))
                .send();
        assertThat(text(next(in))).isEqualTo("marker");
    }
}
