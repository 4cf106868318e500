package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HiveMQ MQTT Client against Switchboard: the 5.0 API, and both APIs where versions meet (see also {@link HiveMqClient3InteropTest}). */
class HiveMqClientInteropTest extends HiveMqTestSupport {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    // ---- QoS ----

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void v5PublishAndReceiveAtEachQos(MqttQos qos) throws Exception {
        String topic = unique("hmq5/qos");
        Mqtt5BlockingClient sub = v5(unique("hmq5-sub"));
        Mqtt5BlockingClient pub = v5(unique("hmq5-pub"));
        sub.connect();
        pub.connect();
        var publishes = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(topic).qos(qos).send();
        pub.publishWith().topic(topic).qos(qos).payload("hello-5".getBytes(UTF_8)).send();
        Mqtt5Publish got = next(publishes);
        assertThat(got.getTopic().toString()).isEqualTo(topic);
        assertThat(got.getQos()).isEqualTo(qos);
        assertThat(text(got)).isEqualTo("hello-5");
        assertThat(got.isRetain()).isFalse();
    }


    // ---- retained ----

    @Test
    void retainedMessageIsDeliveredOnSubscribeToBothVersions() throws Exception {
        String topic = unique("hmq/retained");
        Mqtt5BlockingClient pub = v5(unique("hmq-ret-pub"));
        pub.connect();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload("kept".getBytes(UTF_8))
                .send();

        Mqtt5BlockingClient sub5 = v5(unique("hmq-ret-sub5"));
        sub5.connect();
        var p5 = closing(sub5.publishes(MqttGlobalPublishFilter.ALL));
        sub5.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5Publish got5 = next(p5);
        assertThat(text(got5)).isEqualTo("kept");
        assertThat(got5.isRetain()).isTrue();

        Mqtt3BlockingClient sub3 = v3(unique("hmq-ret-sub3"));
        sub3.connect();
        var p3 = closing(sub3.publishes(MqttGlobalPublishFilter.ALL));
        sub3.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3Publish got3 = next(p3);
        assertThat(text(got3)).isEqualTo("kept");
        assertThat(got3.isRetain()).isTrue();

        // An empty retained message deletes it: a later subscriber gets nothing retained.
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
        Mqtt5BlockingClient late = v5(unique("hmq-ret-late"));
        late.connect();
        var pl = closing(late.publishes(MqttGlobalPublishFilter.ALL));
        late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("live".getBytes(UTF_8)).send();
        Mqtt5Publish first = next(pl);
        assertThat(text(first)).isEqualTo("live");
        assertThat(first.isRetain()).isFalse();
    }

    // ---- wildcards ----

    @Test
    void v5WildcardSubscriptions() throws Exception {
        String base = unique("hmq5-wild");
        Mqtt5BlockingClient plus = v5(unique("hmq5-plus"));
        Mqtt5BlockingClient hash = v5(unique("hmq5-hash"));
        Mqtt5BlockingClient pub = v5(unique("hmq5-wpub"));
        plus.connect();
        hash.connect();
        pub.connect();
        var plusIn = closing(plus.publishes(MqttGlobalPublishFilter.ALL));
        var hashIn = closing(hash.publishes(MqttGlobalPublishFilter.ALL));
        plus.subscribeWith().topicFilter(base + "/+/temp").qos(MqttQos.AT_LEAST_ONCE).send();
        hash.subscribeWith().topicFilter(base + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        for (String t : List.of("a/temp", "a/hum", "b/c/temp", "z/temp")) {
            pub.publishWith().topic(base + "/" + t).qos(MqttQos.AT_LEAST_ONCE).payload(t.getBytes(UTF_8)).send();
        }
        pub.publishWith().topic(base).qos(MqttQos.AT_LEAST_ONCE).payload("parent".getBytes(UTF_8)).send();
        // '+' matches one level only: the next message after a/temp must be z/temp.
        assertThat(List.of(text(next(plusIn)), text(next(plusIn)))).containsExactly("a/temp", "z/temp");
        // '#' matches every level below, and the parent level itself.
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(text(next(hashIn)));
        }
        assertThat(all).containsExactly("a/temp", "a/hum", "b/c/temp", "z/temp", "parent");
    }


    // ---- Will ----

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void willOfLostConnectionReachesHiveMqSubscribers(MqttVersion v) throws Exception {
        String topic = unique("hmq/will");
        Mqtt5BlockingClient sub5 = v5(unique("hmq-will-sub5"));
        Mqtt3BlockingClient sub3 = v3(unique("hmq-will-sub3"));
        sub5.connect();
        sub3.connect();
        var in5 = closing(sub5.publishes(MqttGlobalPublishFilter.ALL));
        var in3 = closing(sub3.publishes(MqttGlobalPublishFilter.ALL));
        sub5.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        sub3.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

        Will will = new Will(topic, Payload.utf8("gone-" + v), 1, false, Properties.EMPTY);
        RawClient dying = RawClient.connect(broker.port(),
                RawClient.connectPacket(v, unique("hmq-will-raw"), true, will, Properties.EMPTY));
        try {
            assertThat(dying.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        } finally {
            dying.close(); // no DISCONNECT: the Will must be published
        }
        Mqtt5Publish got5 = next(in5);
        assertThat(got5.getTopic().toString()).isEqualTo(topic);
        assertThat(text(got5)).isEqualTo("gone-" + v);
        assertThat(text(next(in3))).isEqualTo("gone-" + v);
    }

    @Test
    void v5DisconnectWithWillMessagePublishesTheWillAndNormalDisconnectDoesNot() throws Exception {
        String topic = unique("hmq5/will-rc");
        Mqtt5BlockingClient sub = v5(unique("hmq5-willrc-sub"));
        sub.connect();
        var in = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient quiet = v5(unique("hmq5-will-quiet"));
        quiet.connectWith().willPublish().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("should-not-arrive".getBytes(UTF_8)).applyWillPublish().send();
        quiet.disconnect(); // normal disconnect: the Will is discarded

        Mqtt5BlockingClient loud = v5(unique("hmq5-will-loud"));
        loud.connectWith().willPublish().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("will-0x04".getBytes(UTF_8))
                .applyWillPublish().send();
        loud.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        assertThat(text(next(in))).isEqualTo("will-0x04");
    }

    // ---- persistent sessions ----

    @Test
    void v5SessionResumesWithMessagesQueuedWhileOffline() throws Exception {
        String id = unique("hmq5-persist");
        String topic = unique("hmq5/persist");
        Mqtt5BlockingClient first = v5(id);
        Mqtt5ConnAck ack = first.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        assertThat(ack.isSessionPresent()).isFalse();
        first.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        first.disconnect();

        Mqtt5BlockingClient pub = v5(unique("hmq5-persist-pub"));
        pub.connect();
        for (int i = 1; i <= 3; i++) {
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(("q" + i).getBytes(UTF_8)).send();
        }

        Mqtt5BlockingClient again = v5(id);
        var in = closing(again.publishes(MqttGlobalPublishFilter.ALL)); // before connect: nothing is missed
        Mqtt5ConnAck resumed = again.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        assertThat(resumed.isSessionPresent()).isTrue();
        assertThat(List.of(text(next(in)), text(next(in)), text(next(in)))).containsExactly("q1", "q2", "q3");
        // End the session so it does not outlive the test.
        again.disconnectWith().sessionExpiryInterval(0).send();
    }


    // ---- 5.0 properties ----

    @Test
    void userPropertiesAreRelayedInOrder() throws Exception {
        String topic = unique("hmq5/props");
        Mqtt5BlockingClient sub = v5(unique("hmq5-up-sub"));
        Mqtt5BlockingClient pub = v5(unique("hmq5-up-pub"));
        sub.connect();
        pub.connect();
        var in = closing(sub.publishes(MqttGlobalPublishFilter.ALL));
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("p".getBytes(UTF_8))
                .userProperties().add("b", "1").add("a", "2").add("b", "3").add("ünï", "çødé").applyUserProperties()
                .contentType("text/plain").send();
        Mqtt5Publish got = next(in);
        assertThat(got.getUserProperties().asList().stream().map(HiveMqClientInteropTest::pair))
                .containsExactly("b=1", "a=2", "b=3", "ünï=çødé");
        assertThat(got.getContentType()).hasValueSatisfying(c -> assertThat(c.toString()).isEqualTo("text/plain"));
    }

    @Test
    void requestResponseRelaysResponseTopicAndCorrelationData() throws Exception {
        String requests = unique("hmq5/req");
        String responses = unique("hmq5/resp");
        Mqtt5BlockingClient responderClient = v5(unique("hmq5-responder"));
        responderClient.connect();
        Mqtt5AsyncClient responder = responderClient.toAsync();
        CompletableFuture<Mqtt5Publish> seenByResponder = new CompletableFuture<>();
        responder.subscribeWith().topicFilter(requests).qos(MqttQos.AT_LEAST_ONCE).callback(req -> {
            seenByResponder.complete(req);
            responder.publishWith().topic(req.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(req.getCorrelationData().orElse(null))
                    .payload(("pong:" + text(req)).getBytes(UTF_8)).send();
        }).send().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        Mqtt5BlockingClient requester = v5(unique("hmq5-requester"));
        requester.connect();
        var in = closing(requester.publishes(MqttGlobalPublishFilter.ALL));
        requester.subscribeWith().topicFilter(responses).qos(MqttQos.AT_LEAST_ONCE).send();
        byte[] correlation = {0, 1, 2, (byte) 0xFF, 42};
        requester.publishWith().topic(requests).qos(MqttQos.AT_LEAST_ONCE).responseTopic(responses)
                .correlationData(correlation).payload("ping".getBytes(UTF_8)).send();

        Mqtt5Publish request = seenByResponder.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(request.getResponseTopic()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo(responses));
        Mqtt5Publish reply = next(in);
        assertThat(reply.getTopic().toString()).isEqualTo(responses);
        assertThat(text(reply)).isEqualTo("pong:ping");
        assertThat(reply.getCorrelationData().map(HiveMqClientInteropTest::bytes)).hasValue(correlation);
    }

    private static String pair(Mqtt5UserProperty p) {
        return p.getName() + "=" + p.getValue();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    // ---- client identifiers and takeover ----

    @Test
    void v5EmptyClientIdGetsAnAssignedIdentifier() throws Exception {
        Mqtt5BlockingClient anon = Mqtt5Client.builder().serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        toClose.add(() -> {
            if (anon.getState().isConnectedOrReconnect()) {
                anon.disconnect();
            }
        });
        Mqtt5ConnAck ack = anon.connect();
        assertThat(ack.getAssignedClientIdentifier()).isPresent();
        String assigned = ack.getAssignedClientIdentifier().get().toString();
        assertThat(assigned).isNotEmpty();
        assertThat(anon.getConfig().getClientIdentifier()).hasValueSatisfying(
                id -> assertThat(id.toString()).isEqualTo(assigned));
        // The client works under its assigned id.
        String topic = unique("hmq5/anon");
        var in = closing(anon.publishes(MqttGlobalPublishFilter.ALL));
        anon.subscribeWith().topicFilter(topic).send();
        anon.publishWith().topic(topic).payload("me".getBytes(UTF_8)).send();
        assertThat(text(next(in))).isEqualTo("me");
    }

    @Test
    void v5SessionTakeoverDisconnectsTheFirstClientWithSessionTakenOver() throws Exception {
        String id = unique("hmq5-takeover");
        CompletableFuture<Throwable> firstDisconnected = new CompletableFuture<>();
        Mqtt5BlockingClient first = Mqtt5Client.builder().identifier(id).serverHost(broker.host())
                .serverPort(broker.port())
                .addDisconnectedListener(ctx -> firstDisconnected.complete(ctx.getCause())).buildBlocking();
        toClose.add(() -> {
            if (first.getState().isConnectedOrReconnect()) {
                first.disconnect();
            }
        });
        first.connect();
        Mqtt5BlockingClient second = v5(id);
        second.connect();

        Throwable cause = firstDisconnected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
        assertThat(second.getState().isConnected()).isTrue();
    }

}
