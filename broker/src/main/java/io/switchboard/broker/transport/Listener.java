package io.switchboard.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.logging.RateLimitedLog;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.protocol.ConnectionTransport;
import io.switchboard.broker.protocol.MqttProtocol;
import io.switchboard.codec.MqttFrameDecoder;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured listener: its own pipeline (TLS and WebSocket layers as its type says, then the
 * MQTT frame decoder and {@link io.switchboard.broker.protocol.MqttConnection}), its bounds on
 * connections, and the {@link ConnectionTransport} its connections use to close gracefully and to
 * learn the TLS client identity. Its TLS ({@link ListenerTls}) is reloaded when its files change;
 * each new connection takes the context in force when it is accepted.
 */
@ChannelHandler.Sharable
final class Listener extends ChannelInitializer<Channel> implements ConnectionTransport {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final ListenerConfig config;
    private final MqttProtocol protocol;
    private final BrokerMetrics metrics;
    private final RateLimitedLog log;
    private final ChannelGroup connections;
    private final int maxPacketSize;
    /** The listener's TLS, reloaded when its files change; null for tcp and ws. */
    private final ListenerTls tls;
    /** This listener's open connections, for a reload to check against new CRLs; null for tcp and ws. */
    private final ChannelGroup own;
    private final Executor tlsTasks;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final Clock clock;
    /** New connections in the current second: the second in the high 32 bits, the count in the low 32. */
    private final AtomicLong rate = new AtomicLong();
    private final LongConsumer bytesReceived;

    Listener(ListenerConfig config, MqttProtocol protocol, BrokerMetrics metrics, RateLimitedLog log,
            ChannelGroup connections, int maxPacketSize, Executor tlsTasks, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.protocol = protocol;
        this.metrics = metrics;
        this.log = log;
        this.connections = connections;
        this.maxPacketSize = maxPacketSize;
        this.bytesReceived = metrics.bytesReceived::add;
        this.own = config.secure() ? new DefaultChannelGroup(config.name(), GlobalEventExecutor.INSTANCE) : null;
        this.tls = config.secure() ? new ListenerTls(config.name(), config.tls(), own, clock) : null;
        this.tlsTasks = tlsTasks;
    }

    ListenerConfig config() {
        return config;
    }

    /** The listener's TLS, or null for tcp and ws. */
    ListenerTls tls() {
        return tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        String refusal = admit();
        if (refusal != null) {
            metrics.connectionsRejected.increment();
            log.info(LOG, ch.remoteAddress(), "Connection {} refused by listener '{}': {}", ch.remoteAddress(),
                    config.name(), refusal);
            ch.close();
            return;
        }
        open.incrementAndGet();
        pending.incrementAndGet();
        connections.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            // Added before the context is taken: a reload that replaces that context after this finds
            // the connection, to check it against the new CRLs.
            own.add(ch);
            // Delegated tasks (verifying a client certificate chain) run on tlsTasks, not on the event loop.
            p.addLast("tls", tls.context().newHandler(ch.alloc(), tlsTasks));
            p.addLast("tlsEvents", new TlsEvents());
        }
        if (config.webSocket()) {
            p.addLast("http", new HttpServerCodec());
            p.addLast("httpAggregator", new HttpObjectAggregator(8192));
            p.addLast("webSocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(config.path())
                    .subprotocols("mqtt,mqttv3.1")
                    .handshakeTimeoutMillis(10_000)
                    .decoderConfig(WebSocketDecoderConfig.newBuilder()
                            .maxFramePayloadLength(Math.max(maxPacketSize, 65_536))
                            .build())
                    .build()));
            p.addLast("webSocketFrames", new WebSocketFrames(config.path()));
        }
        p.addLast("frames", new MqttFrameDecoder(maxPacketSize, null, bytesReceived));
        p.addLast("mqtt", protocol.newConnection(this));
    }

    /** Null when the listener's bounds admit one more connection, else why not. */
    private String admit() {
        if (config.maxConnections() > 0 && open.get() >= config.maxConnections()) {
            return "it has " + config.maxConnections() + " connections open (listeners[].maxConnections)";
        }
        if (pending.get() >= config.maxPendingConnects()) {
            return config.maxPendingConnects() + " connections have not sent CONNECT yet (listeners[].maxPendingConnects)";
        }
        if (config.maxConnectionRate() > 0) {
            // One atomic word: the second in the high half, the count in the low half.
            long second = clock.millis() / 1000;
            while (true) {
                long w = rate.get();
                long next = (w >>> 32) == second ? w + 1 : (second << 32) | 1;
                if (rate.compareAndSet(w, next)) {
                    if ((int) next > config.maxConnectionRate()) {
                        return "more than " + config.maxConnectionRate() + " new connections in a second"
                                + " (listeners[].maxConnectionRate)";
                    }
                    break;
                }
            }
        }
        return null;
    }

    // ---- ConnectionTransport ----

    @Override
    public String listener() {
        return config.name();
    }

    @Override
    public String kind() {
        return config.type();
    }

    @Override
    public List<X509Certificate> clientCertificates(ChannelHandlerContext ctx) {
        SslHandler h = tls == null ? null : ctx.pipeline().get(SslHandler.class);
        if (h == null) {
            return List.of();
        }
        try {
            Certificate[] chain = h.engine().getSession().getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>(chain.length);
            for (Certificate c : chain) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of(); // no client certificate (clientAuth none or optional)
        }
    }

    @Override
    public String certificateName(ChannelHandlerContext ctx) {
        List<X509Certificate> chain = clientCertificates(ctx);
        return chain.isEmpty() ? null : CertificateNames.name(chain.get(0), config.tls().identity());
    }

    @Override
    public void closeAfterReply(ChannelHandlerContext ctx, long lingerMillis) {
        Channel ch = ctx.channel();
        ctx.executor().schedule(() -> ctx.close(), lingerMillis, TimeUnit.MILLISECONDS);
        if (!ch.isActive()) {
            return;
        }
        if (config.webSocket()) {
            // RFC 6455 section 7: a Close frame; the client answers with its own, then the connection closes.
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(f -> closeOutput(ch));
        } else {
            closeOutput(ch);
        }
    }

    /** TLS close_notify, then closing the sending side only, so that the client still reads what was sent. */
    private void closeOutput(Channel ch) {
        SslHandler h = tls == null ? null : ch.pipeline().get(SslHandler.class);
        if (h != null) {
            h.closeOutbound().addListener(f -> shutdownOutput(ch));
        } else {
            shutdownOutput(ch);
        }
    }

    private static void shutdownOutput(Channel ch) {
        if (ch instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
        }
    }

    @Override
    public void connectReceived(ChannelHandlerContext ctx) {
        pending.decrementAndGet();
    }

    @Override
    public void closed(ChannelHandlerContext ctx, boolean connectReceived) {
        open.decrementAndGet();
        if (!connectReceived) {
            pending.decrementAndGet();
        }
    }

    /** Logs a failed TLS handshake as one line (rate-limited per address) and closes quietly. */
    private final class TlsEvents extends ChannelInboundHandlerAdapter {
        private boolean failed;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess()) {
                    failed(ctx, e.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (c instanceof SSLException) {
                failed(ctx, c);
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }

        private void failed(ChannelHandlerContext ctx, Throwable cause) {
            if (failed) {
                return;
            }
            failed = true;
            metrics.tlsHandshakeFailures.increment();
            log.info(LOG, ctx.channel().remoteAddress(), "TLS handshake with {} on listener '{}' failed: {}",
                    ctx.channel().remoteAddress(), config.name(), HandshakeFailure.describe(cause, config.tls()));
            ctx.close();
        }
    }
}
