package io.switchboard.broker.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.broker.BrokerContext;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.protocol.MqttConnection;
import io.switchboard.codec.MqttFrameDecoder;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT listeners: one acceptor thread, one event loop per core (or as configured) serving the
 * connections. Each connection's pipeline is: frame decoder, then {@link MqttConnection}.
 */
public final class MqttServer {
    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

    private final BrokerContext broker;
    private final Transport transport = Transport.detect();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup connections = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> listeners = new LinkedHashMap<>();

    public MqttServer(BrokerContext broker) {
        this.broker = broker;
        int threads = broker.config().eventLoopThreads() == 0 ? Runtime.getRuntime().availableProcessors()
                : broker.config().eventLoopThreads();
        this.acceptors = transport.newGroup(1, new DefaultThreadFactory("sb-accept"));
        this.workers = transport.newGroup(threads, new DefaultThreadFactory("sb-loop"));
    }

    /** Binds every listener; fails with a message naming the listener and address when one cannot bind. */
    public void start() {
        for (ListenerConfig l : broker.config().listeners()) {
            ServerBootstrap b = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // A client is "slow" (QoS 0 dropped) once this much waits for its socket.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            broker.config().mqtt().maxOutboundBytes() / 2, broker.config().mqtt().maxOutboundBytes()))
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            connections.add(ch);
                            ch.pipeline()
                                    .addLast("frames", new MqttFrameDecoder(broker.config().mqtt().maxPacketSize(), null))
                                    .addLast("mqtt", new MqttConnection(broker));
                        }
                    });
            ChannelFuture f = b.bind(l.host(), l.port()).awaitUninterruptibly();
            if (!f.isSuccess()) {
                stop();
                throw new IllegalStateException("listener '" + l.name() + "' cannot listen on " + l.host() + ":"
                        + l.port() + ": " + f.cause().getMessage(), f.cause());
            }
            listeners.put(l.name(), f.channel());
            InetSocketAddress bound = (InetSocketAddress) f.channel().localAddress();
            LOG.info("Listening for MQTT on {}:{} (listener '{}', {} transport)", bound.getHostString(),
                    bound.getPort(), l.name(), transport.name());
        }
    }

    /** The port a listener is bound to. */
    public int port(String listener) {
        Channel ch = listeners.get(listener);
        if (ch == null) {
            throw new IllegalArgumentException("no listener named '" + listener + "'; listeners: " + listeners.keySet());
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Stops accepting, sends every client DISCONNECT 0x8B (5.0), closes, and stops the event loops. */
    public void stop() {
        listeners.values().forEach(ch -> ch.close().awaitUninterruptibly());
        for (Channel ch : connections) {
            MqttConnection c = ch.pipeline().get(MqttConnection.class);
            if (c != null) {
                ch.eventLoop().execute(c::shutdown);
            } else {
                ch.close();
            }
        }
        connections.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
