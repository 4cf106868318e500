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
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * MQTT over WebSocket: the bytes of binary frames (and their continuations) go to the MQTT frame
 * decoder as one stream, since an MQTT packet may span frames and a frame may hold several
 * packets; what the broker writes goes out as binary frames. A text frame is not MQTT: the
 * connection is closed with status 1003. An HTTP request that is not an upgrade on the MQTT path
 * gets 404.
 */
final class WebSocketFrames extends ChannelDuplexHandler {
    private final String path;

    WebSocketFrames(String path) {
        this.path = path;
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
            ctx.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                    WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "MQTT uses binary frames"))
                    .addListener(f -> ctx.close());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf buf ? new BinaryWebSocketFrame(buf) : msg, promise);
    }
}
