package io.switchboard.admin.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.broker.config.ConfigException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on Netty, apart from the MQTT event loops: one I/O thread, and
 * {@value #WORKERS} worker threads ({@code sb-http-N}) that run the handlers, with at most
 * {@value #QUEUE} requests waiting (more get 503). Idle connections close after a minute.
 */
public final class HttpServer implements AutoCloseable {
    static final int WORKERS = 2;
    static final int QUEUE = 256;

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;

    private HttpServer(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    /** Binds {@code host:port} and serves {@code routes}; HTTPS with {@code tls} when it is not null. */
    public static HttpServer start(String host, int port, SslContext tls, int maxRequestBytes, Routes routes,
            Access access) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sb-http-io", true),
                NioIoHandler.newFactory());
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), new DefaultThreadFactory("sb-http", true));
        HttpDispatcher dispatcher = new HttpDispatcher(routes, access, workers);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        p.addLast("idle", new IdleStateHandler(0, 0, 60) {
                            @Override
                            protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx,
                                    io.netty.handler.timeout.IdleStateEvent evt) {
                                ctx.close();
                            }
                        });
                        p.addLast("http", new HttpServerCodec(4096, 16 * 1024, 64 * 1024));
                        p.addLast("continue", new HttpServerExpectContinueHandler());
                        p.addLast("keepalive", new HttpServerKeepAliveHandler());
                        p.addLast("compress", new HttpContentCompressor());
                        p.addLast("aggregate", new HttpObjectAggregator(maxRequestBytes));
                        p.addLast("dispatch", dispatcher);
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            return new HttpServer(group, workers, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw new ConfigException("http: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        workers.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
