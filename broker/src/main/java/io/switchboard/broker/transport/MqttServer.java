package io.switchboard.broker.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.logging.RateLimitedLog;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.protocol.MqttConnection;
import io.switchboard.broker.protocol.MqttProtocol;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners: one acceptor thread, one event loop per core (or as configured) serving the
 * connections of every listener. Each listener builds its own pipeline ({@link Listener}).
 */
public final class MqttServer {
    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

    private final BrokerConfig config;
    private final MqttProtocol protocol;
    private final BrokerMetrics metrics;
    private final RateLimitedLog log;
    private final Clock clock;
    private final Transport transport = Transport.detect();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    /**
     * Runs the TLS engine's delegated tasks, above all verifying client certificates (which reads
     * files and may do more), off the event loops; null when no listener uses TLS.
     */
    private final ExecutorService tlsTasks;
    private final ChannelGroup connections = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> bound = new LinkedHashMap<>();

    public MqttServer(BrokerConfig config, MqttProtocol protocol, BrokerMetrics metrics, Clock clock) {
        this.config = config;
        this.protocol = protocol;
        this.metrics = metrics;
        this.log = new RateLimitedLog(clock);
        this.clock = clock;
        int threads = config.eventLoopThreads() == 0 ? Runtime.getRuntime().availableProcessors()
                : config.eventLoopThreads();
        this.acceptors = transport.newGroup(1, new DefaultThreadFactory("sb-accept"));
        this.workers = transport.newGroup(threads, new DefaultThreadFactory("sb-loop"));
        this.tlsTasks = config.listeners().stream().anyMatch(ListenerConfig::secure) ? tlsTaskPool(threads) : null;
    }

    /**
     * A fork-join pool: an event loop hands it a task without ever waiting. (A ThreadPoolExecutor's
     * LinkedBlockingQueue takes a lock on every offer, and adding a worker takes another: BlockHound
     * caught an event loop parked on one under load.) Daemon threads {@code sb-tls-N}.
     */
    private static ExecutorService tlsTaskPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ForkJoinPool(threads, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("sb-tls-" + n.incrementAndGet());
            return t;
        }, null, true);
    }

    /** The event loops that serve connections (sessions read back at start-up are spread over them). */
    public EventLoopGroup eventLoops() {
        return workers;
    }

    /** Binds every listener; fails with a message naming the listener and address when one cannot bind. */
    public void start() {
        if (config.listeners().stream().anyMatch(ListenerConfig::secure)) {
            LOG.info("TLS engine: {}", TlsContexts.engine());
        }
        int maxOutbound = config.mqtt().maxOutboundBytes();
        for (ListenerConfig l : config.listeners()) {
            Listener listener;
            try {
                listener = new Listener(l, protocol, metrics, log, connections, config.mqtt().maxPacketSize(),
                        tlsTasks, clock);
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            ServerBootstrap b = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Past the high mark a client is "not keeping up": its publishers wait (MqttConnection).
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(maxOutbound / 2, maxOutbound))
                    .childHandler(listener);
            ChannelFuture f = b.bind(l.host(), l.port()).awaitUninterruptibly();
            if (!f.isSuccess()) {
                stop();
                throw new IllegalStateException("listener '" + l.name() + "' cannot listen on " + l.host() + ":"
                        + l.port() + ": " + f.cause().getMessage(), f.cause());
            }
            bound.put(l.name(), f.channel());
            InetSocketAddress address = (InetSocketAddress) f.channel().localAddress();
            LOG.info("Listening for MQTT{} on {}:{}{} (listener '{}', {}, {} transport)",
                    switch (l.type()) {
                        case "tls" -> " over TLS";
                        case "ws" -> " over WebSocket";
                        case "wss" -> " over WebSocket and TLS";
                        default -> "";
                    }, address.getHostString(), address.getPort(), l.webSocket() ? l.path() : "", l.name(),
                    l.type(), transport.name());
        }
    }

    /** The port a listener is bound to. */
    public int port(String listener) {
        Channel ch = bound.get(listener);
        if (ch == null) {
            throw new IllegalArgumentException("no listener named '" + listener + "'; listeners: " + bound.keySet());
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Stops accepting, sends every client DISCONNECT 0x8B (5.0), closes, and stops the event loops. */
    public void stop() {
        bound.values().forEach(ch -> ch.close().awaitUninterruptibly());
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
        if (tlsTasks != null) {
            tlsTasks.shutdownNow();
        }
    }
}
