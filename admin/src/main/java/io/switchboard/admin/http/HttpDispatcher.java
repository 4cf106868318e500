package io.switchboard.admin.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.broker.logging.LogText;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each whole request to a worker thread (never the event loop: a password hash, a wait for a
 * session's loop or for storage must not hold other requests up), where it is routed, its caller
 * authenticated and allowed, and its handler run; the answer is written back on the event loop.
 */
@ChannelHandler.Sharable
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);

    private final Routes routes;
    private final Access access;
    private final Executor workers;
    private final boolean local;

    HttpDispatcher(Routes routes, Access access, Executor workers) {
        this.routes = routes;
        this.access = access;
        this.workers = workers;
        this.local = !access.signInRequired();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess()) {
            write(ctx, Response.problem(HttpResponseStatus.BAD_REQUEST, "bad-request",
                    "malformed HTTP request: " + msg.decoderResult().cause().getMessage(), ""), false, false);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(msg.content());
        HttpMethod method = msg.method();
        String uri = msg.uri();
        HttpHeaders headers = msg.headers().copy();
        String remote = remote(ctx);
        boolean head = method.equals(HttpMethod.HEAD);
        try {
            workers.execute(() -> {
                Response r = handle(method, uri, body, headers, remote);
                ctx.channel().eventLoop().execute(() -> write(ctx, r, keepAlive, head));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, Response.problem(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy",
                    "too many requests in progress; try again", uri), false, head);
        }
    }

    private Response handle(HttpMethod method, String uri, byte[] body, HttpHeaders headers, String remote) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        String host = headers.get(HttpHeaderNames.HOST);
        QueryStringDecoder q = new QueryStringDecoder(uri);
        String path = q.rawPath();
        try {
            checkOrigin(origin, host);
            Routes.Match m = routes.find(method, path);
            Caller caller = m.route().access() == Routes.Access.PUBLIC && authorization == null
                    ? (local ? Caller.LOCAL : Caller.ANONYMOUS) : access.caller(authorization, remote);
            switch (m.route().access()) {
                case PUBLIC -> { }
                case READ -> requireSignedIn(caller);
                case ADMIN -> {
                    requireSignedIn(caller);
                    if (!caller.admin()) {
                        throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", caller.describe()
                                + " has role " + caller.role() + "; " + method + " " + path + " needs role admin");
                    }
                }
            }
            Request r = new Request(method, path, m.params(), q.parameters(), body, headers, caller, remote);
            return m.route().handler().handle(r);
        } catch (ApiException e) {
            Response r = Response.problem(e.status(), e.kind(), e.getMessage(), path);
            return e.status() == HttpResponseStatus.UNAUTHORIZED ? r.withHeader("WWW-Authenticate", "Bearer") : r;
        } catch (Exception e) {
            LOG.error("HTTP {} {} failed", method, LogText.escape(path), e);
            return Response.problem(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal-error",
                    "the broker could not answer: " + e, path);
        }
    }

    private static void requireSignedIn(Caller caller) {
        if (!caller.authenticated()) {
            throw Access.unauthorized("sign in: send Authorization: Bearer <token> (an API token, or the token"
                    + " POST /api/v1/login returns) or Basic");
        }
    }

    /**
     * A browser sends Origin with cross-site requests: one from a page of another origin is refused,
     * so that a web page cannot use the API through the browser of someone who may (cross-site
     * request forgery). When no one signs in (loopback only), the Host must be a loopback name too:
     * a page cannot reach the API by making its own domain name point at 127.0.0.1 (DNS rebinding).
     */
    private void checkOrigin(String origin, String host) {
        if (local && host != null && !loopbackHost(host)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", "Host '" + host + "' is not a loopback"
                    + " name; this listener asks no one to sign in and answers only requests to this machine");
        }
        if (origin == null) {
            return;
        }
        String originHost;
        try {
            originHost = URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            originHost = null;
        }
        if (originHost == null || !originHost.equalsIgnoreCase(host)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden",
                    "cross-origin request from " + origin + " refused");
        }
    }

    private static boolean loopbackHost(String host) {
        String h = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']')))
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return io.switchboard.broker.config.HttpConfig.loopback(h);
    }

    private static void write(ChannelHandlerContext ctx, Response r, boolean keepAlive, boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                r.status(), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("X-Frame-Options", "DENY");
        res.headers().set("Referrer-Policy", "no-referrer");
        if (!r.headers().containsKey("Cache-Control")) {
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            res.headers().set(h.getKey(), h.getValue());
        }
        if (keepAlive) {
            HttpUtil.setKeepAlive(res, true);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {}: {}", remote(ctx), cause.toString());
        ctx.close();
    }
}
