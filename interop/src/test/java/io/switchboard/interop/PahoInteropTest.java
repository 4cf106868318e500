package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.interop.PahoClients.Client;
import io.switchboard.interop.PahoClients.Flavor;
import io.switchboard.interop.PahoClients.Received;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Eclipse Paho: the 3.1.1 client (mqttv3) and the MQTT 5 client (mqttv5) against Switchboard. */
class PahoInteropTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeClients() {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                // already gone
            }
        }
    }

    private Client client(Flavor f, String idPrefix) throws Exception {
        return client(f, idPrefix, true);
    }

    private Client client(Flavor f, String idPrefix, boolean uniqueId) throws Exception {
        Client c = PahoClients.create(f, broker.port(), uniqueId ? unique(idPrefix) : idPrefix);
        toClose.add(c);
        return c;
    }

    private PahoClients.V5 client5(String idPrefix) throws Exception {
        return (PahoClients.V5) client(Flavor.PAHO_5, idPrefix);
    }

    // ---- QoS ----

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"PAHO_3, 0", "PAHO_3, 1", "PAHO_3, 2", "PAHO_5, 0", "PAHO_5, 1", "PAHO_5, 2"})
    void publishAndReceiveAtEachQos(Flavor f, int qos) throws Exception {
        String topic = unique("paho/qos");
        Client sub = client(f, "paho-sub");
        Client pub = client(f, "paho-pub");
        sub.connect(true);
        pub.connect(true);
        sub.subscribe(topic, qos);
        pub.publish(topic, "hello-" + qos, qos, false);
        Received r = sub.next();
        assertThat(r.topic()).isEqualTo(topic);
        assertThat(r.payload()).isEqualTo("hello-" + qos);
        assertThat(r.qos()).isEqualTo(qos);
        assertThat(r.retained()).isFalse();
    }

    @Test
    void paho5PublisherToPaho3SubscriberAtQos2() throws Exception {
        String topic = unique("paho/cross");
        Client sub = client(Flavor.PAHO_3, "paho3-cross-sub");
        PahoClients.V5 pub = client5("paho5-cross-pub");
        sub.connect(true);
        pub.connect(true);
        sub.subscribe(topic, 2);
        MqttProperties props = new MqttProperties();
        props.setUserProperties(List.of(new UserProperty("k", "v")));
        props.setContentType("text/plain");
        pub.publish(topic, "across-versions", 2, props);
        Received r = sub.next();
        assertThat(r.payload()).isEqualTo("across-versions");
        assertThat(r.qos()).isEqualTo(2);
    }

    // ---- retained ----

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void retainedMessageOnSubscribeAndItsDeletion(Flavor f) throws Exception {
        String topic = unique("paho/retained");
        Client pub = client(f, "paho-ret-pub");
        pub.connect(true);
        pub.publish(topic, "kept", 1, true);

        Client sub = client(f, "paho-ret-sub");
        sub.connect(true);
        sub.subscribe(topic, 1);
        Received r = sub.next();
        assertThat(r.payload()).isEqualTo("kept");
        assertThat(r.retained()).isTrue();

        pub.publish(topic, "", 1, true); // deletes the retained message (and reaches sub as an empty message)
        assertThat(sub.next().payload()).isEmpty();
        Client late = client(f, "paho-ret-late");
        late.connect(true);
        late.subscribe(topic, 1);
        pub.publish(topic, "live", 1, false);
        Received first = late.next();
        assertThat(first.payload()).isEqualTo("live");
        assertThat(first.retained()).isFalse();
    }

    // ---- wildcards ----

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void wildcardSubscriptions(Flavor f) throws Exception {
        String base = unique("paho-wild");
        Client plus = client(f, "paho-plus");
        Client hash = client(f, "paho-hash");
        Client pub = client(f, "paho-wpub");
        plus.connect(true);
        hash.connect(true);
        pub.connect(true);
        plus.subscribe(base + "/+/temp", 1);
        hash.subscribe(base + "/a/#", 2);
        for (String t : List.of("a/temp", "a/hum", "a/b/c", "b/temp", "c/d/temp")) {
            pub.publish(base + "/" + t, t, 1, false);
        }
        pub.publish(base + "/a", "a", 1, false);
        assertThat(List.of(plus.next().payload(), plus.next().payload())).containsExactly("a/temp", "b/temp");
        assertThat(List.of(hash.next().payload(), hash.next().payload(), hash.next().payload(),
                hash.next().payload())).containsExactly("a/temp", "a/hum", "a/b/c", "a");
    }

    // ---- Will ----

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void pahoSubscribersReceiveTheWillOfALostConnection(MqttVersion v) throws Exception {
        String topic = unique("paho/will");
        Client sub3 = client(Flavor.PAHO_3, "paho3-will-sub");
        Client sub5 = client(Flavor.PAHO_5, "paho5-will-sub");
        sub3.connect(true);
        sub5.connect(true);
        sub3.subscribe(topic, 1);
        sub5.subscribe(topic, 2);

        Will will = new Will(topic, Payload.utf8("lost-" + v), 2, false, Properties.EMPTY);
        RawClient dying = RawClient.connect(broker.port(),
                RawClient.connectPacket(v, unique("paho-will-raw"), true, will, Properties.EMPTY));
        try {
            assertThat(dying.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        } finally {
            dying.close(); // the socket just closes: no DISCONNECT
        }
        Received r3 = sub3.next();
        Received r5 = sub5.next();
        assertThat(r3.topic()).isEqualTo(topic);
        assertThat(r3.payload()).isEqualTo("lost-" + v);
        assertThat(r3.qos()).isEqualTo(1);
        assertThat(r5.payload()).isEqualTo("lost-" + v);
        assertThat(r5.qos()).isEqualTo(2);
    }

    @Test
    void paho3WillIsPublishedWhenItsConnectionIsTakenOver() throws Exception {
        String topic = unique("paho3/will-takeover");
        String id = unique("paho3-will-owner");
        Client sub = client(Flavor.PAHO_3, "paho3-wt-sub");
        sub.connect(true);
        sub.subscribe(topic, 1);

        PahoClients.V3 owner = (PahoClients.V3) client(Flavor.PAHO_3, id, false);
        owner.options.setWill(topic, "taken-over".getBytes(UTF_8), 1, false);
        owner.connect(true);
        // Another connection with the same client id takes the session over: the broker closes the
        // first connection without a DISCONNECT from it, so its Will is published ([MQTT-3.1.4-3]).
        try (RawClient thief = RawClient.connect(broker.port(), MqttVersion.V3_1_1, id)) {
            assertThat(owner.connectionLost().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
            Received r = sub.next();
            assertThat(r.topic()).isEqualTo(topic);
            assertThat(r.payload()).isEqualTo("taken-over");
        }
    }

    @Test
    void paho5WillIsPublishedOnDisconnectWithReasonCode4() throws Exception {
        String topic = unique("paho5/will-0x04");
        Client sub = client(Flavor.PAHO_5, "paho5-w4-sub");
        sub.connect(true);
        sub.subscribe(topic, 1);

        MqttAsyncClient willer = new MqttAsyncClient(PahoClients.uri(broker.port()), unique("paho5-w4"),
                new MemoryPersistence());
        try {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setWill(topic, new MqttMessage("bye-with-will".getBytes(UTF_8), 1, false, new MqttProperties()));
            willer.connect(o).waitForCompletion(TIMEOUT.toMillis());
            willer.disconnect(TIMEOUT.toMillis(), null, null, 0x04, new MqttProperties())
                    .waitForCompletion(TIMEOUT.toMillis());
        } finally {
            willer.close(true);
        }
        assertThat(sub.next().payload()).isEqualTo("bye-with-will");
    }

    @Test
    void paho3EmptyClientIdWithoutCleanSessionIsRefusedWithIdentifierRejected() throws Exception {
        MqttClient anon = new MqttClient(
                PahoClients.uri(broker.port()), "", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false);
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            assertThatThrownBy(() -> anon.connect(o))
                    .isInstanceOfSatisfying(MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(2)); // [MQTT-3.1.3-8] 0x02
        } finally {
            anon.close(true);
        }
    }

    // ---- persistent sessions ----

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void sessionResumesWithMessagesQueuedWhileOffline(Flavor f) throws Exception {
        String id = unique("paho-persist");
        String topic = unique("paho/persist");
        Client first = client(f, id, false);
        assertThat(first.connect(false)).isFalse();
        first.subscribe(topic, 2);
        first.disconnect();
        first.close();

        Client pub = client(f, "paho-persist-pub");
        pub.connect(true);
        // QoS 2 last: Paho 3 hands a QoS 2 message to the application only at PUBREL, so a QoS 2
        // message between QoS 1 ones would legitimately be seen out of order.
        pub.publish(topic, "m1", 1, false);
        pub.publish(topic, "m2", 1, false);
        pub.publish(topic, "m3", 2, false);

        Client again = client(f, id, false);
        assertThat(again.connect(false)).isTrue();
        Received m1 = again.next();
        Received m2 = again.next();
        Received m3 = again.next();
        assertThat(List.of(m1.payload(), m2.payload(), m3.payload())).containsExactly("m1", "m2", "m3");
        assertThat(List.of(m1.qos(), m2.qos(), m3.qos())).containsExactly(1, 1, 2);
        // Let the QoS 2 exchange finish (PUBCOMP) before disconnecting: Paho 5 queues a PUBCOMP that
        // races with its DISCONNECT ahead of the next CONNECT and then never sends that CONNECT.
        await().atMost(TIMEOUT).until(() -> broker.broker().sessions().get(id).inflightCount() == 0);
        again.disconnect();
        assertThat(again.connect(true)).isFalse(); // clean: the session is discarded
    }

    // ---- 5.0 properties ----

    @Test
    void paho5UserPropertiesAreRelayedInOrder() throws Exception {
        String topic = unique("paho5/props");
        PahoClients.V5 sub = client5("paho5-up-sub");
        PahoClients.V5 pub = client5("paho5-up-pub");
        sub.connect(true);
        pub.connect(true);
        sub.subscribe(topic, 1);
        MqttProperties props = new MqttProperties();
        props.setUserProperties(List.of(new UserProperty("z", "1"), new UserProperty("a", "2"),
                new UserProperty("z", "3"), new UserProperty("empty", "")));
        props.setContentType("application/x-test");
        pub.publish(topic, "with-props", 1, props);
        MqttProperties got = sub.next().v5().getProperties();
        assertThat(got.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                .containsExactly("z=1", "a=2", "z=3", "empty=");
        assertThat(got.getContentType()).isEqualTo("application/x-test");
    }

    @Test
    void paho5RequestResponseWithResponseTopicAndCorrelationData() throws Exception {
        String requests = unique("paho5/req");
        String responses = unique("paho5/resp");
        // The responder answers on the Response Topic, echoing the Correlation Data (async publish:
        // never block the callback thread).
        MqttAsyncClient responder = new MqttAsyncClient(PahoClients.uri(broker.port()), unique("paho5-responder"),
                new MemoryPersistence());
        toClose.add(() -> {
            try {
                if (responder.isConnected()) {
                    responder.disconnect().waitForCompletion(TIMEOUT.toMillis());
                }
            } finally {
                responder.close(true);
            }
        });
        responder.setCallback(new MqttCallbackAdapter() {
            @Override
            public void messageArrived(String topic, MqttMessage req) throws Exception {
                MqttProperties rp = new MqttProperties();
                rp.setCorrelationData(req.getProperties().getCorrelationData());
                String answer = "re:" + new String(req.getPayload(), UTF_8) + " via "
                        + req.getProperties().getResponseTopic();
                responder.publish(req.getProperties().getResponseTopic(),
                        new MqttMessage(answer.getBytes(UTF_8), 1, false, rp));
            }
        });
        responder.connect(new MqttConnectionOptions()).waitForCompletion(TIMEOUT.toMillis());
        responder.subscribe(requests, 1).waitForCompletion(TIMEOUT.toMillis());

        PahoClients.V5 requester = client5("paho5-requester");
        requester.connect(true);
        requester.subscribe(responses, 1);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(responses);
        byte[] correlation = {9, 8, 7, 0, (byte) 0x80};
        props.setCorrelationData(correlation);
        requester.publish(requests, "ping", 1, props);

        Received reply = requester.next();
        assertThat(reply.topic()).isEqualTo(responses);
        assertThat(reply.payload()).isEqualTo("re:ping via " + responses);
        assertThat(reply.v5().getProperties().getCorrelationData()).isEqualTo(correlation);
    }

    /** A Paho 5 callback that ignores everything but what a subclass overrides. */
    private abstract static class MqttCallbackAdapter implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
