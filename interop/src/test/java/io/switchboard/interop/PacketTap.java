package io.switchboard.interop;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.codec.MqttFrameDecoder;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PublishPacket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback relay between one client and the broker that decodes, with the project's codec, the
 * packets passing each way, so that a test sees what a third-party client and the broker said to
 * each other (topic aliases, for example, which the clients resolve out of sight). Bytes are
 * forwarded unchanged; a packet our codec refuses fails the test through {@link #errors}.
 */
final class PacketTap implements AutoCloseable {
    private final ServerSocket server;
    private final int brokerPort;
    /** Packets from the broker to the client, in order. */
    final List<MqttPacket> toClient = new CopyOnWriteArrayList<>();
    /** Packets from the client to the broker, in order. */
    final List<MqttPacket> toBroker = new CopyOnWriteArrayList<>();
    /** Anything our codec refused, either way. */
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    PacketTap(int brokerPort) throws IOException {
        this.brokerPort = brokerPort;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "packet-tap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port clients connect to instead of the broker's. */
    int port() {
        return server.getLocalPort();
    }

    /** The PUBLISH packets the broker sent to the client. */
    List<PublishPacket> publishesToClient() {
        return toClient.stream().filter(PublishPacket.class::isInstance).map(PublishPacket.class::cast).toList();
    }

    /** The PUBLISH packets the client sent to the broker. */
    List<PublishPacket> publishesToBroker() {
        return toBroker.stream().filter(PublishPacket.class::isInstance).map(PublishPacket.class::cast).toList();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(broker);
                // The client's CONNECT tells the decoder its version; the broker's replies are decoded
                // with it, as the client's side of the connection is decoded before it is forwarded.
                MqttFrameDecoder fromClient = new MqttFrameDecoder(Integer.MAX_VALUE, null);
                EmbeddedChannel up = decoder(fromClient, toBroker);
                pump("packet-tap-up", client, broker, () -> up);
                EmbeddedChannel[] down = new EmbeddedChannel[1];
                pump("packet-tap-down", broker, client, () -> {
                    if (down[0] == null) {
                        down[0] = decoder(new MqttFrameDecoder(Integer.MAX_VALUE, fromClient.version()), toClient);
                    }
                    return down[0];
                });
            }
        } catch (IOException e) {
            // closed
        }
    }

    private EmbeddedChannel decoder(MqttFrameDecoder frames, List<MqttPacket> into) {
        return new EmbeddedChannel(frames, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                into.add((MqttPacket) msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    private void pump(String name, Socket from, Socket to, java.util.function.Supplier<EmbeddedChannel> decoder) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    decoder.get().writeInbound(Unpooled.copiedBuffer(buf, 0, n)); // decoded first, then forwarded
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(to);
                closeQuietly(from);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(PacketTap::closeQuietly);
    }
}
