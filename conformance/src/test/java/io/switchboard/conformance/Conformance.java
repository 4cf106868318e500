package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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

/** Small building blocks shared by the conformance tests; each one asserts what it relies on. */
final class Conformance {
    /** The Session Expiry Interval used for "persistent" 5.0 sessions. */
    static final long PERSISTENT_EXPIRY = 300;

    private Conformance() {
    }

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

    /** Connects and expects a successful CONNACK with the given Session Present flag. */
    static RawClient connect(EmbeddedBroker broker, ConnectPacket p, boolean sessionPresent) {
        RawClient c = RawClient.connect(broker.port(), p);
        ConnackPacket ack = c.expect(ConnackPacket.class);
        assertThat(ack.reasonCode()).as("CONNACK reason code").isEqualTo(ReasonCode.SUCCESS);
        assertThat(ack.sessionPresent()).as("CONNACK Session Present").isEqualTo(sessionPresent);
        return c;
    }

    static void subscribe(RawClient c, int packetId, String filter, int qos) {
        c.send(new SubscribePacket(packetId, List.of(new TopicSubscription(filter, qos)), Properties.EMPTY));
        SubackPacket ack = c.expect(SubackPacket.class);
        assertThat(ack.packetId()).isEqualTo(packetId);
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.grantedQos(qos));
    }

    /** Publishes and completes the QoS flow as a publisher; returns the reason code of PUBACK/PUBREC (SUCCESS for QoS 0). */
    static ReasonCode publish(RawClient c, String topic, int qos, int packetId, String payload) {
        return publish(c, new PublishPacket(topic, qos, false, false, qos == 0 ? 0 : packetId, Properties.EMPTY,
                Payload.utf8(payload)));
    }

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

    /** Receives a PUBLISH and checks topic and payload; QoS 1 and 2 are acknowledged (as a subscriber). */
    static PublishPacket receive(RawClient c, String topic, String payload) {
        PublishPacket p = expectPublish(c, topic, payload);
        ack(c, p);
        return p;
    }

    /** Receives a PUBLISH and checks topic and payload, without acknowledging it. */
    static PublishPacket expectPublish(RawClient c, String topic, String payload) {
        PublishPacket p = c.expect(PublishPacket.class);
        assertThat(p.topic()).isEqualTo(topic);
        assertThat(p.payload().toUtf8String()).isEqualTo(payload);
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

    /** Sends a normal DISCONNECT and waits until the broker has closed the connection. */
    static void disconnect(RawClient c) {
        c.send(DisconnectPacket.NORMAL);
        c.expectClosed();
        c.close();
    }

    /** The broker closes the connection without sending any packet first. */
    static void expectClosedWithoutPacket(RawClient c) {
        assertThatThrownBy(c::receive).as("the broker should close the connection without sending a packet")
                .hasMessageContaining("closed the connection");
    }

    /** The broker sends a DISCONNECT with this reason code (5.0), then closes. */
    static void expectDisconnect(RawClient c, ReasonCode rc) {
        MqttPacket p = c.receive();
        assertThat(p).isInstanceOf(DisconnectPacket.class);
        assertThat(((DisconnectPacket) p).reasonCode()).isEqualTo(rc);
        expectClosedWithoutPacket(c);
    }

    /** After a broken rule: 5.0 gets DISCONNECT with the reason code, 3.1.1 is just closed ([MQTT-4.13.1-1]). */
    static void expectDisconnectOrClose(RawClient c, ReasonCode v5Code) {
        if (c.version().isV5()) {
            expectDisconnect(c, v5Code);
        } else {
            expectClosedWithoutPacket(c);
        }
    }

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
