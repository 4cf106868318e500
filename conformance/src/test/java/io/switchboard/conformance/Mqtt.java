package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.RawClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers shared by the conformance tests: they only build and check packets, never wait on time. */
final class Mqtt {
    private static final AtomicInteger PACKET_IDS = new AtomicInteger();

    private Mqtt() {
    }

    /** A fresh packet identifier for SUBSCRIBE/UNSUBSCRIBE (1..65535). */
    static int nextId() {
        return PACKET_IDS.incrementAndGet() % 65_000 + 1;
    }

    /** Connects with clean start and the given CONNECT properties (5.0) and expects a successful CONNACK. */
    static RawClient connect(int port, MqttVersion v, String clientId, Properties props) {
        RawClient c = RawClient.connect(port, RawClient.connectPacket(v, clientId, true, null, props));
        ConnackPacket ack = c.expect(ConnackPacket.class);
        assertThat(ack.reasonCode()).as("CONNACK of %s", clientId).isEqualTo(ReasonCode.SUCCESS);
        return c;
    }

    /** Like {@link #connect} but returns the CONNACK too. */
    static Connected connectWithAck(int port, MqttVersion v, String clientId, Properties props) {
        RawClient c = RawClient.connect(port, RawClient.connectPacket(v, clientId, true, null, props));
        ConnackPacket ack = c.expect(ConnackPacket.class);
        assertThat(ack.reasonCode()).as("CONNACK of %s", clientId).isEqualTo(ReasonCode.SUCCESS);
        return new Connected(c, ack);
    }

    record Connected(RawClient client, ConnackPacket connack) {
    }

    /** Sends a SUBSCRIBE with these subscriptions and returns the SUBACK (checking its packet id). */
    static SubackPacket subscribe(RawClient c, Properties props, TopicSubscription... subs) {
        int id = nextId();
        c.send(new SubscribePacket(id, List.of(subs), props));
        SubackPacket ack = c.expect(SubackPacket.class);
        assertThat(ack.packetId()).as("SUBACK packet id").isEqualTo(id);
        return ack;
    }

    /** Subscribes to one filter and asserts the requested QoS was granted. */
    static void subscribe(RawClient c, String filter, int qos) {
        SubackPacket ack = subscribe(c, Properties.EMPTY, new TopicSubscription(filter, qos));
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.grantedQos(qos));
    }

    static PublishPacket publish(String topic, int qos, boolean retain, int packetId, String payload) {
        return new PublishPacket(topic, qos, retain, false, packetId, Properties.EMPTY, Payload.utf8(payload));
    }

    static PublishPacket publish(String topic, int qos, int packetId, Properties props, String payload) {
        return publish(topic, qos, false, packetId, props, payload);
    }

    static PublishPacket publish(String topic, int qos, boolean retain, int packetId, Properties props,
            String payload) {
        return new PublishPacket(topic, qos, retain, false, packetId, props, Payload.utf8(payload));
    }

    /** Publishes at QoS 1 and waits for the PUBACK, so the message has been routed when this returns. */
    static PubackPacket publishQos1(RawClient c, String topic, boolean retain, String payload) {
        int id = nextId();
        c.send(publish(topic, 1, retain, id, payload));
        PubackPacket ack = c.expect(PubackPacket.class);
        assertThat(ack.packetId()).isEqualTo(id);
        return ack;
    }

    /** The next PUBLISH, which must be on this topic with this payload. */
    static PublishPacket expectPublish(RawClient c, String topic, String payload) {
        PublishPacket p = c.expect(PublishPacket.class);
        assertThat(p.topic()).as("topic of %s", p).isEqualTo(topic);
        assertThat(p.payload().toUtf8String()).as("payload of %s", p).isEqualTo(payload);
        return p;
    }

    /**
     * The broker must end the connection because of an error: in 5.0 with a DISCONNECT carrying
     * {@code rc} as the next packet ([MQTT-4.13.1-1] section 4.13), in 3.1.1 by closing the connection.
     */
    static void expectDisconnect(RawClient c, ReasonCode rc) {
        if (c.version().isV5()) {
            MqttPacket p = c.receive();
            assertThat(p).as("expected DISCONNECT %s", rc).isInstanceOf(DisconnectPacket.class);
            assertThat(((DisconnectPacket) p).reasonCode()).isEqualTo(rc);
        }
        c.expectClosed();
    }
}
