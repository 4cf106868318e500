package io.switchboard.interop;

import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared subscriptions (section 4.8.2) with real clients: the HiveMQ MQTT Client and Eclipse Paho 5
 * as members of one group, sharing its messages, and taking over what a member that drops out left
 * unacknowledged.
 */
class SharedSubscriptionInteropTest extends HiveMqTestSupport {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    private PahoClients.V5 paho(String idPrefix) throws Exception {
        PahoClients.V5 c = new PahoClients.V5(broker.port(), unique(idPrefix));
        toClose.add(c);
        return c;
    }

    private static void publish(Mqtt5BlockingClient pub, String topic, String payload) {
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(UTF_8)).send();
    }

    @Test
    @DisplayName("HiveMQ and Paho 5 in one group: CONNACK says Shared Subscription Available 1 (3.2.2.3.13); round"
            + " robin gives each member every other message, none twice (4.8.2)")
    void hiveMqAndPahoShareAGroup() throws Exception {
        String topic = unique("share/rr");
        String filter = "$share/interop/" + topic;
        Mqtt5BlockingClient hive = v5(unique("share-hmq"));
        Mqtt5ConnAck connack = hive.connect();
        assertThat(connack.getRestrictions().isSharedSubscriptionAvailable()).isTrue();
        var hiveIn = closing(hive.publishes(MqttGlobalPublishFilter.ALL));
        hive.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        PahoClients.V5 paho = paho("share-paho");
        paho.connect(true);
        paho.subscribe(filter, 1);
        Mqtt5BlockingClient pub = v5(unique("share-pub"));
        pub.connect();
        List<String> all = IntStream.range(0, 10).mapToObj(i -> "m" + i).toList();
        for (String m : all) {
            publish(pub, topic, m);
        }
        List<String> toHive = new ArrayList<>();
        List<String> toPaho = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Mqtt5Publish p = next(hiveIn);
            assertThat(p.getTopic().toString()).isEqualTo(topic);
            toHive.add(text(p));
            PahoClients.Received r = paho.next();
            assertThat(r.topic()).isEqualTo(topic);
            toPaho.add(r.payload());
        }
        List<String> even = List.of("m0", "m2", "m4", "m6", "m8");
        List<String> odd = List.of("m1", "m3", "m5", "m7", "m9");
        assertThat(List.of(toHive, toPaho)).containsExactlyInAnyOrder(even, odd);
    }

    @Test
    @DisplayName("A Paho 5 member loses its connection with two messages unacknowledged: they go to the HiveMQ member"
            + " (4.8.2: the server may send them to another member as soon as the connection is lost)")
    void pahoMemberDropsAndTheHiveMqMemberGetsItsMessages() throws Exception {
        String topic = unique("share/drop");
        String filter = "$share/interop/" + topic;
        PahoClients.V5 paho = paho("share-drop-paho");
        paho.client.setManualAcks(true); // it never acknowledges
        paho.connect(false); // a session that outlives the connection
        paho.subscribe(filter, 1);
        Mqtt5BlockingClient pub = v5(unique("share-drop-pub"));
        pub.connect();
        publish(pub, topic, "m1");
        publish(pub, topic, "m2");
        assertThat(paho.next().payload()).isEqualTo("m1");
        assertThat(paho.next().payload()).isEqualTo("m2");
        Mqtt5BlockingClient hive = v5(unique("share-drop-hmq"));
        hive.connect();
        var hiveIn = closing(hive.publishes(MqttGlobalPublishFilter.ALL));
        hive.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        paho.client.disconnectForcibly(0, 1000, false); // no DISCONNECT: a lost connection
        List<String> got = List.of(text(next(hiveIn)), text(next(hiveIn)));
        assertThat(got).containsExactlyInAnyOrder("m1", "m2");
    }

    @Test
    @DisplayName("A HiveMQ member ends its session (DISCONNECT, Session Expiry 0) with two messages unacknowledged:"
            + " they go to the Paho 5 member (4.8.2: SHOULD)")
    void hiveMqMemberLeavesAndThePahoMemberGetsItsMessages() throws Exception {
        String topic = unique("share/leave");
        String filter = "$share/interop/" + topic;
        Mqtt5BlockingClient hive = v5(unique("share-leave-hmq"));
        hive.connect();
        var hiveIn = closing(hive.publishes(MqttGlobalPublishFilter.ALL, true)); // manual acknowledgement: none
        hive.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = v5(unique("share-leave-pub"));
        pub.connect();
        publish(pub, topic, "m1");
        publish(pub, topic, "m2");
        assertThat(text(next(hiveIn))).isEqualTo("m1");
        assertThat(text(next(hiveIn))).isEqualTo("m2");
        PahoClients.V5 paho = paho("share-leave-paho");
        paho.connect(true);
        paho.subscribe(filter, 1);
        hive.disconnect();
        List<String> got = List.of(paho.next().payload(), paho.next().payload());
        assertThat(got).containsExactlyInAnyOrder("m1", "m2");
    }
}
