package io.switchboard.testkit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.MqttPacket;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One MQTT 5 client connection of the benchmark: a blocking socket that writes pre-encoded packets
 * and reads whole packets, nothing automatic (no keep alive, no acks). Deliberately small: the
 * benchmark holds tens of thousands of them, and measures the broker, not them.
 */
final class BenchClient implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final InputStream in;

    private BenchClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Opens a TCP connection from {@code source} (any port). Clients are spread over several loopback
     * source addresses because one source address has only the ephemeral port range (about 28,000
     * ports by default) towards one broker address and port.
     */
    static BenchClient open(InetAddress source, InetSocketAddress broker) throws IOException {
        Socket s = new Socket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(source, 0));
            s.connect(broker, READ_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new BenchClient(s);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect from " + source.getHostAddress() + " to " + broker + ": "
                    + e.getMessage(), e);
        }
    }

    /** Encodes a packet once, for writing to many connections. */
    static byte[] encode(MqttPacket packet) {
        ByteBuf buf = MqttCodec.encode(packet, MqttVersion.V5, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /**
     * The connection's socket, for a {@link PacketStream} that takes over after the handshake:
     * this client reads unbuffered, so nothing of the stream is left behind in it.
     */
    Socket socket() {
        return socket;
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
    }

    /** Reads and decodes the next packet; fails on end of stream or after {@link #READ_TIMEOUT_MILLIS}. */
    MqttPacket read() throws IOException {
        int first = readByte();
        int remaining = 0;
        for (int shift = 0; ; shift += 7) {
            int b = readByte();
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            if (shift == 21) {
                throw new IOException("malformed remaining length from the broker");
            }
        }
        byte[] body = in.readNBytes(remaining);
        if (body.length < remaining) {
            throw new EOFException("the broker closed the connection in the middle of a packet");
        }
        PacketType type = PacketType.of(first >> 4);
        if (type == null) {
            throw new IOException("packet type 0 from the broker");
        }
        return MqttCodec.decode(type, first & 0x0F, Unpooled.wrappedBuffer(body), MqttVersion.V5);
    }

    /** Waits until the broker closes the connection (as it does after our DISCONNECT). */
    void awaitClosed() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("expected the broker to close the connection, but it sent more (byte 0x"
                        + Integer.toHexString(b) + ")");
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the broker did not close the connection within " + READ_TIMEOUT_MILLIS / 1000 + " s", e);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the broker closed the connection");
        }
        return b;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
