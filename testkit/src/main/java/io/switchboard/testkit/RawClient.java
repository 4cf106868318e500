package io.switchboard.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw-packet MQTT client for conformance tests: it sends exactly the packets (or bytes) it is
 * told to, and exposes every packet the broker sends, in order. Nothing is automatic: no acks, no
 * keep alive, no retries. Decoding uses the project's codec, so a broker packet that breaks a rule
 * shows up as a {@link io.switchboard.codec.MqttDecodeException}.
 */
public final class RawClient implements AutoCloseable {
    /** How long a receive waits before the test fails. Generous: these machines are slow and noisy. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Object CLOSED = new Object();

    private final MqttVersion version;
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    private RawClient(String host, int port, MqttVersion version) throws IOException {
        this.version = version;
        this.socket = new Socket(host, port);
        this.socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttFrameDecoder(Integer.MAX_VALUE, version),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.add(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        received.add(cause.getCause() != null ? cause.getCause() : cause);
                    }
                });
        InputStream in = socket.getInputStream();
        this.reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
                }
            } catch (IOException e) {
                // closed
            } finally {
                received.add(CLOSED);
            }
        }, "raw-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a TCP connection; nothing is sent yet. */
    public static RawClient open(int port, MqttVersion version) {
        try {
            return new RawClient("127.0.0.1", port, version);
        } catch (IOException e) {
            throw new AssertionError("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** Opens a connection, sends a CONNECT (clean start, keep alive 0) and expects a successful CONNACK. */
    public static RawClient connect(int port, MqttVersion version, String clientId) {
        RawClient c = open(port, version);
        c.send(new ConnectPacket(version, true, 0, clientId, null, null, null, Properties.EMPTY));
        ConnackPacket ack = c.expect(ConnackPacket.class);
        if (ack.reasonCode() != ReasonCode.SUCCESS) {
            throw new AssertionError("CONNACK refused: " + ack);
        }
        return c;
    }

    /** Opens a connection and sends a CONNECT built from the arguments; returns the CONNACK. */
    public static RawClient connect(int port, ConnectPacket connect) {
        RawClient c = open(port, connect.version());
        c.send(connect);
        return c;
    }

    /** A CONNECT for this builder-less style: version, client id, clean start, keep alive, will, properties. */
    public static ConnectPacket connectPacket(MqttVersion v, String clientId, boolean cleanStart, Will will,
            Properties props) {
        return new ConnectPacket(v, cleanStart, 0, clientId, will, null, null, props);
    }

    public MqttVersion version() {
        return version;
    }

    /** The local port of this client's socket: how the broker sees it, with 127.0.0.1. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Encodes and sends a packet. */
    public RawClient send(MqttPacket packet) {
        ByteBuf buf = MqttCodec.encode(packet, version, ByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return sendBytes(bytes);
        } finally {
            buf.release();
        }
    }

    /** Sends raw bytes, exactly as given. */
    public RawClient sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new AssertionError("send failed: " + e.getMessage(), e);
        }
        return this;
    }

    /** Sends bytes given as ints (for readable annotated arrays). */
    public RawClient sendBytes(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return sendBytes(b);
    }

    /** The next packet from the broker; fails if the connection closes or nothing comes in time. */
    public MqttPacket receive() {
        Object o = poll();
        if (o == CLOSED) {
            received.add(CLOSED);
            throw new AssertionError("the broker closed the connection instead of sending a packet");
        }
        if (o instanceof Throwable t) {
            throw new AssertionError("the broker sent a packet our codec rejects: " + t.getMessage(), t);
        }
        return (MqttPacket) o;
    }

    /** The next packet, which must be of the given type. */
    public <T extends MqttPacket> T expect(Class<T> type) {
        MqttPacket p = receive();
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but received " + p);
        }
        return type.cast(p);
    }

    /** Waits until the broker closes the connection; any packets before that are returned... and dropped. */
    public void expectClosed() {
        while (true) {
            Object o = poll();
            if (o == CLOSED) {
                received.add(CLOSED);
                return;
            }
        }
    }

    /**
     * Waits until the broker closes the connection and returns every packet received before the
     * close, in order (packets our codec rejects fail the call).
     */
    public List<MqttPacket> receiveUntilClosed() {
        List<MqttPacket> packets = new ArrayList<>();
        while (true) {
            Object o = poll();
            if (o == CLOSED) {
                received.add(CLOSED);
                return packets;
            }
            if (o instanceof Throwable t) {
                throw new AssertionError("the broker sent a packet our codec rejects: " + t.getMessage(), t);
            }
            packets.add((MqttPacket) o);
        }
    }

    /**
     * Asserts that the broker has nothing queued for us: sends PINGREQ and expects PINGRESP as the
     * very next packet. TCP keeps order, so this needs no waiting on time.
     */
    public void expectNothingMore() {
        send(PingreqPacket.INSTANCE);
        MqttPacket p = receive();
        if (!(p instanceof PingrespPacket)) {
            throw new AssertionError("expected nothing more, but received " + p);
        }
    }

    /** Whether the connection has been closed by the broker (without waiting). */
    public boolean isClosed() {
        return received.contains(CLOSED);
    }

    private Object poll() {
        try {
            Object o = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (o == null) {
                throw new AssertionError("nothing received from the broker within " + TIMEOUT.toSeconds() + " s");
            }
            return o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Closes the socket without sending DISCONNECT (a lost connection, as far as the broker knows). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
