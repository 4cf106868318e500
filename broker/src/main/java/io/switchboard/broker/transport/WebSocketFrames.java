package io.switchboard.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * MQTT over WebSocket: the bytes of binary frames (and their continuations) go to the MQTT frame
 * decoder as one stream, since an MQTT packet may span frames and a frame may hold several
 * packets; what the broker writes goes out as binary frames. A text frame is not MQTT: the
 * connection is closed with status 1003. An HTTP request that is not an upgrade on the MQTT path
 * gets 404.
 */
final class WebSocketFrames extends ChannelDuplexHandler {
    /** How long a closing connection waits for the client's Close frame after sending its own. */
    static final long CLOSE_WAIT_MILLIS = 1000;

    private final String path;
    /** The WebSocket handshake is done: closing means the Close handshake. */
    private boolean upgraded;
    /** A Close frame was sent (by {@link #close} or by whoever wrote one). */
    private boolean closeSent;

    WebSocketFrames(String path) {
        this.path = path;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgraded = true;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Closes with the WebSocket closing handshake (RFC 6455 section 7.1): a Close frame (1000), then
     * the TCP connection is closed when the client's Close frame comes back (Netty's protocol
     * handler does that), or after {@link #CLOSE_WAIT_MILLIS}. Closing the socket at once, as Netty
     * does by default, resets a client whose own Close frame is still on its way: MQTT.js then
     * reports "write EPIPE" after a normal DISCONNECT. A close that follows a Close frame already
     * sent (a refusal's, see {@link Listener#closeAfterReply}) goes through at once.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!upgraded || closeSent || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        ScheduledFuture<?> force = ctx.executor().schedule(() -> {
            ctx.close(promise);
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> {
            force.cancel(false);
            promise.trySuccess();
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof FullHttpRequest request) {
            // Not a WebSocket upgrade on the MQTT path.
            request.release();
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_FOUND, Unpooled.copiedBuffer("MQTT over WebSocket is served at " + path
                            + " with subprotocol mqtt\n", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(f -> ctx.close());
        } else if (msg instanceof TextWebSocketFrame text) {
            text.release();
            closeSent = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(
                    WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "MQTT uses binary frames"))
                    .addListener(f -> ctx.close());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof CloseWebSocketFrame) {
            closeSent = true;
        }
        ctx.write(msg instanceof ByteBuf buf ? new BinaryWebSocketFrame(buf) : msg, promise);
    }
}
