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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
    /**
     * Checks the TLS listeners' files for a change and reloads them ({@code sb-tls-reload}), one
     * reload at a time; null when no listener uses TLS.
     */
    private final ScheduledExecutorService tlsReloads;
    private final ChannelGroup connections = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    private final Map<String, Channel> bound = new LinkedHashMap<>();
    private final List<ListenerTls> tls = new ArrayList<>();
    /** {@link #reloadTls()} results not complete yet. */
    private final Set<CompletableFuture<List<TlsReload>>> pendingReloads = ConcurrentHashMap.newKeySet();

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
        boolean secure = config.listeners().stream().anyMatch(ListenerConfig::secure);
        this.tlsTasks = secure ? tlsTaskPool(threads) : null;
        this.tlsReloads = secure ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-tls-reload");
            t.setDaemon(true);
            return t;
        }) : null;
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
            if (listener.tls() != null) {
                tls.add(listener.tls());
                checkPeriodically(listener.tls());
            }
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

    /** Every {@code tls.reloadCheckSeconds}, reloads a listener's TLS files if they changed. */
    private void checkPeriodically(ListenerTls t) {
        int every = t.checkSeconds();
        if (every == 0) {
            return;
        }
        tlsReloads.scheduleWithFixedDelay(() -> {
            try {
                t.check();
            } catch (RuntimeException e) {
                LOG.error("Checking the TLS files for a change failed", e);
            }
        }, every, every, TimeUnit.SECONDS);
    }

    /**
     * Reads the TLS listeners' files now and reloads those whose content changed: new handshakes use
     * them, open connections keep theirs. Files that cannot be used leave the ones in force (one
     * ERROR line each). Completes once the connections whose certificate a new CRL revokes are
     * closed ({@code tls.closeRevoked}), with one result per TLS listener. Any thread: the files are
     * read on the reload thread.
     */
    public CompletableFuture<List<TlsReload>> reloadTls() {
        if (tlsReloads == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        CompletableFuture<List<TlsReload>> result = new CompletableFuture<>();
        pendingReloads.add(result);
        result.whenComplete((r, e) -> pendingReloads.remove(result));
        try {
            tlsReloads.execute(() -> {
                List<CompletableFuture<TlsReload>> each;
                try {
                    each = tls.stream().map(ListenerTls::reload).toList();
                } catch (RuntimeException e) {
                    LOG.error("Reloading the TLS files failed", e);
                    result.completeExceptionally(e);
                    return;
                }
                CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(each.stream().map(CompletableFuture::join).toList());
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the broker is stopped"));
        }
        return result;
    }

    /** The configured listeners that are not bound and accepting now (none once started, until stopped). */
    public List<String> listenersDown() {
        List<String> down = new ArrayList<>();
        for (ListenerConfig l : config.listeners()) {
            Channel ch = bound.get(l.name());
            if (ch == null || !ch.isActive()) {
                down.add(l.name());
            }
        }
        return down;
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
        if (tlsReloads != null) {
            tlsReloads.shutdownNow();
            // A reload asked for and not run yet never will be: its caller is not left waiting.
            pendingReloads.forEach(f -> f.completeExceptionally(new IllegalStateException("the broker stopped")));
        }
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
