package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Small building blocks shared by the conformance tests. Each one asserts what it relies on; none
 * waits on time.
 */
final class Conformance {
    /** The Session Expiry Interval used for "persistent" 5.0 sessions. */
    static final long PERSISTENT_EXPIRY = 300;

    private static final AtomicInteger PACKET_IDS = new AtomicInteger();

    private Conformance() {
    }

    /** A fresh packet identifier (1..65000), for helpers and tests that do not choose their own. */
    static int nextId() {
        return PACKET_IDS.incrementAndGet() % 65_000 + 1;
    }

    // ---- Configuration ----------------------------------------------------------------------

    /**
     * An {@code mqtt} configuration from its YAML keys, the others at their defaults, validated as
     * at start-up: {@code mqtt("maxQos: 1", "retainAvailable: false")}.
     */
    static MqttConfig mqtt(String... keys) {
        String yaml = Stream.of(keys).map(k -> "  " + k + "\n").collect(Collectors.joining("", "mqtt:\n", ""));
        return ConfigLoader.parse(yaml, "test").mqtt();
    }

    /** A broker for a test class whose {@code mqtt} keys are these (see {@link #mqtt}). */
    static EmbeddedBroker brokerWith(String... mqttKeys) {
        MqttConfig m = mqtt(mqttKeys);
        return new EmbeddedBroker(cfg -> cfg.withMqtt(m));
    }

    // ---- CONNECT ----------------------------------------------------------------------------

    /**
     * A CONNECT: 5.0 gets a Session Expiry Interval property when {@code expiry} is not null; in
     * 3.1.1 {@code cleanStart} is Clean Session and {@code expiry} is ignored.
     */
    static ConnectPacket connectPacket(MqttVersion v, String id, boolean cleanStart, Long expiry, int keepAlive,
            Will will) {
        Properties props = v.isV5() && expiry != null
                ? Properties.builder().sessionExpiryInterval(expiry).build() : Properties.EMPTY;
        return new ConnectPacket(v, cleanStart, keepAlive, id, will, null, null, props);
    }

    /** A CONNECT for a session that outlives the connection (3.1.1 Clean Session 0, 5.0 expiry 300 s). */
    static ConnectPacket persistent(MqttVersion v, String id, boolean cleanStart) {
        return connectPacket(v, id, cleanStart, PERSISTENT_EXPIRY, 0, null);
    }

    /** Sends this CONNECT and expects a successful CONNACK with the given Session Present flag. */
    static RawClient connect(EmbeddedBroker broker, ConnectPacket p, boolean sessionPresent) {
        RawClient c = RawClient.connect(broker.port(), p);
        ConnackPacket ack = c.expect(ConnackPacket.class);
        assertThat(ack.reasonCode()).as("CONNACK reason code").isEqualTo(ReasonCode.SUCCESS);
        assertThat(ack.sessionPresent()).as("CONNACK Session Present").isEqualTo(sessionPresent);
        return c;
    }

    /**
     * Connects with clean start, keep alive 0 and the given CONNECT properties (5.0) and expects a
     * successful CONNACK; Session Present is not checked.
     */
    static RawClient connectClean(int port, MqttVersion v, String clientId, Properties props) {
        return connectCleanWithAck(port, v, clientId, props).client();
    }

    /** Like {@link #connectClean} but returns the CONNACK too. */
    static Connected connectCleanWithAck(int port, MqttVersion v, String clientId, Properties props) {
        RawClient c = RawClient.connect(port, RawClient.connectPacket(v, clientId, true, null, props));
        ConnackPacket ack = c.expect(ConnackPacket.class);
        assertThat(ack.reasonCode()).as("CONNACK of %s", clientId).isEqualTo(ReasonCode.SUCCESS);
        return new Connected(c, ack);
    }

    record Connected(RawClient client, ConnackPacket connack) {
    }

    /** Sends a normal DISCONNECT and waits until the broker has closed the connection. */
    static void disconnect(RawClient c) {
        c.send(DisconnectPacket.NORMAL);
        c.expectClosed();
        c.close();
    }

    // ---- SUBSCRIBE --------------------------------------------------------------------------

    /** Subscribes to one filter with this packet id and asserts the requested QoS was granted. */
    static void subscribe(RawClient c, int packetId, String filter, int qos) {
        c.send(new SubscribePacket(packetId, List.of(new TopicSubscription(filter, qos)), Properties.EMPTY));
        SubackPacket ack = c.expect(SubackPacket.class);
        assertThat(ack.packetId()).isEqualTo(packetId);
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.grantedQos(qos));
    }

    /** Subscribes to one filter with a fresh packet id and asserts the requested QoS was granted. */
    static void subscribe(RawClient c, String filter, int qos) {
        SubackPacket ack = subscribeForSuback(c, Properties.EMPTY, new TopicSubscription(filter, qos));
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.grantedQos(qos));
    }

    /**
     * Sends a SUBSCRIBE with these subscriptions and returns the SUBACK, checking only its packet id:
     * the reason codes are for the caller to check.
     */
    static SubackPacket subscribeForSuback(RawClient c, Properties props, TopicSubscription... subs) {
        int id = nextId();
        c.send(new SubscribePacket(id, List.of(subs), props));
        SubackPacket ack = c.expect(SubackPacket.class);
        assertThat(ack.packetId()).as("SUBACK packet id").isEqualTo(id);
        return ack;
    }

    // ---- PUBLISH: building packets (nothing is sent) -----------------------------------------

    static PublishPacket publishPacket(String topic, int qos, boolean retain, int packetId, String payload) {
        return new PublishPacket(topic, qos, retain, false, packetId, Properties.EMPTY, Payload.utf8(payload));
    }

    static PublishPacket publishPacket(String topic, int qos, int packetId, Properties props, String payload) {
        return publishPacket(topic, qos, false, packetId, props, payload);
    }

    static PublishPacket publishPacket(String topic, int qos, boolean retain, int packetId, Properties props,
            String payload) {
        return new PublishPacket(topic, qos, retain, false, packetId, props, Payload.utf8(payload));
    }

    // ---- PUBLISH: sending as a publisher ------------------------------------------------------

    /** Publishes and completes the QoS flow as a publisher; returns the reason code of PUBACK/PUBREC (SUCCESS for QoS 0). */
    static ReasonCode publish(RawClient c, String topic, int qos, int packetId, String payload) {
        return publish(c, new PublishPacket(topic, qos, false, false, qos == 0 ? 0 : packetId, Properties.EMPTY,
                Payload.utf8(payload)));
    }

    /** Sends this PUBLISH and completes its QoS flow as a publisher; returns the reason code of PUBACK/PUBREC. */
    static ReasonCode publish(RawClient c, PublishPacket p) {
        c.send(p);
        switch (p.qos()) {
            case 1 -> {
                PubackPacket ack = c.expect(PubackPacket.class);
                assertThat(ack.packetId()).isEqualTo(p.packetId());
                return ack.reasonCode();
            }
            case 2 -> {
                PubrecPacket rec = c.expect(PubrecPacket.class);
                assertThat(rec.packetId()).isEqualTo(p.packetId());
                c.send(new PubrelPacket(p.packetId()));
                assertThat(c.expect(PubcompPacket.class).packetId()).isEqualTo(p.packetId());
                return rec.reasonCode();
            }
            default -> {
                c.expectNothingMore(); // makes sure the broker has read the QoS 0 PUBLISH
                return ReasonCode.SUCCESS;
            }
        }
    }

    /**
     * Publishes at QoS 1 with a fresh packet id and waits for the PUBACK, so the message has been
     * routed when this returns.
     */
    static PubackPacket publishQos1(RawClient c, String topic, boolean retain, String payload) {
        int id = nextId();
        c.send(publishPacket(topic, 1, retain, id, payload));
        PubackPacket ack = c.expect(PubackPacket.class);
        assertThat(ack.packetId()).isEqualTo(id);
        return ack;
    }

    // ---- PUBLISH: receiving as a subscriber ---------------------------------------------------

    /** The next packet must be a PUBLISH on this topic with this payload; it is not acknowledged. */
    static PublishPacket expectPublish(RawClient c, String topic, String payload) {
        PublishPacket p = c.expect(PublishPacket.class);
        assertThat(p.topic()).as("topic of %s", p).isEqualTo(topic);
        assertThat(p.payload().toUtf8String()).as("payload of %s", p).isEqualTo(payload);
        return p;
    }

    /** Receives a PUBLISH and checks topic and payload; QoS 1 and 2 are acknowledged (as a subscriber). */
    static PublishPacket receive(RawClient c, String topic, String payload) {
        PublishPacket p = expectPublish(c, topic, payload);
        ack(c, p);
        return p;
    }

    /** Completes the subscriber's side of a QoS 1 or 2 delivery. */
    static void ack(RawClient c, PublishPacket p) {
        if (p.qos() == 1) {
            c.send(new PubackPacket(p.packetId()));
        } else if (p.qos() == 2) {
            c.send(new PubrecPacket(p.packetId()));
            assertThat(c.expect(PubrelPacket.class).packetId()).isEqualTo(p.packetId());
            c.send(new PubcompPacket(p.packetId()));
        }
    }

    // ---- The broker ends the connection -------------------------------------------------------

    /** The broker closes the connection without sending any packet first. */
    static void expectClosedWithoutPacket(RawClient c) {
        assertThatThrownBy(c::receive).as("the broker should close the connection without sending a packet")
                .hasMessageContaining("closed the connection");
    }

    /**
     * Strict (5.0): the next packet is a DISCONNECT with this reason code, then the broker closes
     * without sending anything else.
     */
    static void expectDisconnect(RawClient c, ReasonCode rc) {
        MqttPacket p = c.receive();
        assertThat(p).isInstanceOf(DisconnectPacket.class);
        assertThat(((DisconnectPacket) p).reasonCode()).isEqualTo(rc);
        expectClosedWithoutPacket(c);
    }

    /**
     * Strict, after a broken rule: 5.0 gets a DISCONNECT with the reason code and then the close,
     * 3.1.1 is just closed ([MQTT-4.13.1-1]); no other packet may come before the close.
     */
    static void expectDisconnectOrClose(RawClient c, ReasonCode v5Code) {
        if (c.version().isV5()) {
            expectDisconnect(c, v5Code);
        } else {
            expectClosedWithoutPacket(c);
        }
    }

    /**
     * Lenient form of {@link #expectDisconnectOrClose}: in 5.0 the next packet must be a DISCONNECT
     * with {@code rc} ([MQTT-4.13.1-1] section 4.13); then, in both versions, the broker must close the
     * connection, and any packets it sends before closing are skipped rather than failing the test.
     */
    static void expectDisconnectOrCloseSkippingPackets(RawClient c, ReasonCode rc) {
        if (c.version().isV5()) {
            MqttPacket p = c.receive();
            assertThat(p).as("expected DISCONNECT %s", rc).isInstanceOf(DisconnectPacket.class);
            assertThat(((DisconnectPacket) p).reasonCode()).isEqualTo(rc);
        }
        c.expectClosed();
    }

    // ---- Raw bytes ------------------------------------------------------------------------------

    /** Encodes a packet to bytes, for pipelining several packets in one write. */
    static byte[] bytes(MqttPacket p, MqttVersion v) {
        ByteBuf buf = MqttCodec.encode(p, v, ByteBufAllocator.DEFAULT);
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return b;
        } finally {
            buf.release();
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
