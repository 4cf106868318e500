package io.switchboard.broker.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttFrameDecoder;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PingreqPacket;
import io.switchboard.codec.packet.PingrespPacket;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking MQTT client over a loopback socket for the broker module's own tests (the testkit's
 * RawClient depends on this module): it sends the packets it is told to and reads the broker's
 * packets with the project's codec, in the test's thread. Nothing automatic but what its helpers say.
 */
final class LoopbackClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final MqttVersion version;
    private final EmbeddedChannel decoder;
    private final byte[] buffer = new byte[8192];

    private LoopbackClient(int port, MqttVersion version) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
        this.version = version;
        this.decoder = new EmbeddedChannel(new MqttFrameDecoder(Integer.MAX_VALUE, version));
    }

    /** Sends CONNECT and returns the CONNACK. */
    static LoopbackClient open(int port, ConnectPacket connect) throws IOException {
        LoopbackClient c = new LoopbackClient(port, connect.version());
        c.send(connect);
        return c;
    }

    /**
     * Connects and expects CONNACK 0x00: {@code expirySeconds} is the Session Expiry Interval (5.0),
     * or for 3.1.1 any value above 0 means Clean Session 0 when {@code cleanStart} is false.
     */
    static LoopbackClient connect(int port, MqttVersion v, String clientId, boolean cleanStart, long expirySeconds,
            Integer receiveMaximum, Will will) throws IOException {
        Properties props = v.isV5()
                ? Properties.builder().sessionExpiryInterval(expirySeconds == 0 ? null : expirySeconds)
                        .receiveMaximum(receiveMaximum).build()
                : Properties.EMPTY;
        LoopbackClient c = open(port, new ConnectPacket(v, cleanStart, 0, clientId, will, null, null, props));
        ConnackPacket ack = c.expect(ConnackPacket.class);
        if (ack.reasonCode() != ReasonCode.SUCCESS) {
            throw new AssertionError("CONNACK refused: " + ack);
        }
        return c;
    }

    static LoopbackClient connect(int port, MqttVersion v, String clientId) throws IOException {
        return connect(port, v, clientId, true, 0, null, null);
    }

    void send(MqttPacket p) throws IOException {
        ByteBuf buf = MqttCodec.encode(p, version, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } finally {
            buf.release();
        }
    }

    /** The next packet from the broker, or null when it closed the connection. */
    MqttPacket receiveOrNull() throws IOException {
        while (true) {
            Object decoded = decoder.readInbound();
            if (decoded != null) {
                return (MqttPacket) decoded;
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("nothing received from the broker within " + TIMEOUT_MILLIS + " ms");
            }
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
            decoder.checkException();
        }
    }

    <T extends MqttPacket> T expect(Class<T> type) throws IOException {
        MqttPacket p = receiveOrNull();
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but received " + p);
        }
        return type.cast(p);
    }

    void subscribe(int packetId, String filter, int qos) throws IOException {
        send(new SubscribePacket(packetId, List.of(new TopicSubscription(filter, qos)), Properties.EMPTY));
        expect(SubackPacket.class);
    }

    /**
     * Publishes and completes the exchange: PUBACK for QoS 1, PUBREC, PUBREL, PUBCOMP for QoS 2. The
     * client publishes nothing else meanwhile, and receives nothing (it subscribes to nothing).
     */
    void publish(String topic, int qos, int packetId, String payload, boolean retain) throws IOException {
        send(new PublishPacket(topic, qos, retain, false, qos == 0 ? 0 : packetId, Properties.EMPTY,
                io.switchboard.codec.packet.Payload.utf8(payload)));
        if (qos == 1) {
            expect(PubackPacket.class);
        } else if (qos == 2) {
            expect(PubrecPacket.class);
            send(new PubrelPacket(packetId));
            expect(PubcompPacket.class);
        }
    }

    /**
     * Reads every PUBLISH the broker has for this client, acknowledging each at once (PUBACK; PUBREC,
     * then PUBCOMP for the broker's PUBREL), until a PINGREQ is answered with nothing before it: TCP
     * keeps order, so no waiting on time. Returns the PUBLISHes.
     */
    List<PublishPacket> receiveAllAcknowledging() throws IOException {
        List<PublishPacket> all = new ArrayList<>();
        boolean more = true;
        while (more) {
            more = false;
            send(PingreqPacket.INSTANCE);
            for (MqttPacket p = receiveOrNull(); !(p instanceof PingrespPacket); p = receiveOrNull()) {
                more = true;
                if (p instanceof PublishPacket publish) {
                    all.add(publish);
                    if (publish.qos() == 1) {
                        send(new PubackPacket(publish.packetId()));
                    } else if (publish.qos() == 2) {
                        send(new PubrecPacket(publish.packetId()));
                    }
                } else if (p instanceof PubrelPacket rel) {
                    send(new PubcompPacket(rel.packetId()));
                } else {
                    throw new AssertionError("expected PUBLISH, PUBREL or PINGRESP, received " + p);
                }
            }
        }
        return all;
    }

    /**
     * Reads {@code n} PUBLISHes, however long the broker takes to route them, acknowledging each,
     * then finishes their exchanges ({@link #receiveAllAcknowledging}); returns every PUBLISH read.
     */
    List<PublishPacket> receiveAcknowledging(int n) throws IOException {
        List<PublishPacket> all = new ArrayList<>();
        while (all.size() < n) {
            MqttPacket p = receiveOrNull();
            if (p instanceof PubrelPacket rel) {
                send(new PubcompPacket(rel.packetId())); // for a QoS 2 PUBLISH read before
                continue;
            }
            if (!(p instanceof PublishPacket publish)) {
                throw new AssertionError("expected PUBLISH or PUBREL, received " + p);
            }
            all.add(publish);
            if (publish.qos() == 1) {
                send(new PubackPacket(publish.packetId()));
            } else if (publish.qos() == 2) {
                send(new PubrecPacket(publish.packetId()));
            }
        }
        all.addAll(receiveAllAcknowledging());
        return all;
    }

    /** Reads {@code n} PUBLISHes without acknowledging them. */
    List<PublishPacket> receiveUnacknowledged(int n) throws IOException {
        List<PublishPacket> all = new ArrayList<>();
        while (all.size() < n) {
            all.add(expect(PublishPacket.class));
        }
        return all;
    }

    /** Waits for the broker to close the connection, skipping what it sends before. */
    void expectClosed() throws IOException {
        while (receiveOrNull() != null) {
            // skipped
        }
    }

    /** Closes the socket without DISCONNECT: a lost connection, as far as the broker knows. */
    @Override
    public void close() throws IOException {
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
