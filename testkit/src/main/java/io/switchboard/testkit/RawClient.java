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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw-packet MQTT client for conformance tests: it sends exactly the packets (or bytes) it is
 * told to, and exposes every packet the broker sends, in order. Over TCP ({@link #open}), TLS
 * ({@link #openTls}) or WebSocket, with or without TLS ({@link #openWebSocket}). Nothing is automatic: no acks, no
 * keep alive, no retries. Decoding uses the project's codec, so a broker packet that breaks a rule
 * shows up as a {@link io.switchboard.codec.MqttDecodeException}.
 */
public final class RawClient implements AutoCloseable {
    /** How long a receive waits before the test fails. Generous: these machines are slow and noisy. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Object CLOSED = new Object();

    private final MqttVersion version;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final EmbeddedChannel decoder;
    private Link link;
    /** The status code of the WebSocket Close frame the broker sent, or null. */
    private volatile Integer webSocketCloseStatus;
    /** The local port of the connection (a socket), or -1 over WebSocket. */
    private volatile int localPort = -1;

    /** Where the bytes go: a socket (plain or TLS) or a WebSocket. */
    private interface Link {
        void send(byte[] bytes) throws IOException;

        void close();
    }

    private RawClient(MqttVersion version) {
        this.version = version;
        this.decoder = new EmbeddedChannel(new MqttFrameDecoder(Integer.MAX_VALUE, version),
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
    }

    /** Bytes from the broker, in order; called by one thread at a time. */
    private void received(byte[] bytes, int offset, int length) {
        synchronized (decoder) {
            decoder.writeInbound(Unpooled.copiedBuffer(bytes, offset, length));
        }
    }

    /** Reads a connected socket (plain or TLS) on a daemon thread until end of stream. */
    private RawClient overSocket(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        localPort = socket.getLocalPort();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    received(buf, 0, n);
                }
            } catch (IOException e) {
                // closed
            } finally {
                received.add(CLOSED);
            }
        }, "raw-client-reader");
        reader.setDaemon(true);
        reader.start();
        this.link = new Link() {
            @Override
            public void send(byte[] bytes) throws IOException {
                out.write(bytes);
                out.flush();
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        };
        return this;
    }

    /** Opens a TCP connection; nothing is sent yet. */
    public static RawClient open(int port, MqttVersion version) {
        try {
            return new RawClient(version).overSocket(new Socket("127.0.0.1", port));
        } catch (IOException e) {
            throw new AssertionError("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /**
     * Opens a TLS connection to 127.0.0.1 and completes the handshake (verifying the broker's
     * certificate for 127.0.0.1 against what {@code tls} trusts); nothing MQTT is sent yet.
     */
    public static RawClient openTls(int port, MqttVersion version, SSLContext tls) {
        try {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            return new RawClient(version).overSocket(socket);
        } catch (IOException e) {
            throw new AssertionError("cannot connect with TLS to 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a WebSocket to {@code ws://127.0.0.1:port/path} (or {@code wss://} when {@code tls} is
     * not null) with subprotocol {@code mqtt}, using the JDK's WebSocket client: every MQTT byte
     * goes in binary frames. Nothing MQTT is sent yet.
     */
    public static RawClient openWebSocket(int port, String path, MqttVersion version, SSLContext tls) {
        RawClient c = new RawClient(version);
        URI uri = URI.create((tls == null ? "ws" : "wss") + "://127.0.0.1:" + port + path);
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (tls != null) {
            http.sslContext(tls);
        }
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.request(1);
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                c.received(bytes, 0, bytes.length);
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                c.received.add(new AssertionError("the broker sent a text frame: " + data));
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                // RFC 6455 5.5.1: the JDK answers with its own Close frame when this returns.
                c.webSocketCloseStatus = statusCode;
                c.received.add(CLOSED);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                c.received.add(CLOSED);
            }
        };
        try {
            WebSocket ws = http.build().newWebSocketBuilder().subprotocols("mqtt").connectTimeout(TIMEOUT)
                    .buildAsync(uri, listener).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            c.link = new Link() {
                @Override
                public void send(byte[] bytes) throws IOException {
                    try {
                        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        throw new IOException(e.getCause() == null ? e : e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }

                @Override
                public void close() {
                    ws.abort();
                }
            };
            return c;
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot open a WebSocket to " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The status code of the WebSocket Close frame the broker sent (1000: normal closure), or null
     * when it sent none (or this is not a WebSocket connection).
     */
    public Integer webSocketCloseStatus() {
        return webSocketCloseStatus;
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
        return localPort;
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
            link.send(bytes);
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
        link.close();
    }
}
