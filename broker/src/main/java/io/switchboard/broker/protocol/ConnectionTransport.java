package io.switchboard.broker.protocol;

import io.netty.channel.ChannelHandlerContext;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the protocol needs of the listener a connection came through, so that protocol code never
 * reaches into the pipeline: the listener's name and kind, the TLS client identity, and how to
 * close after a last packet so that the client still reads it. One per listener, shared by its
 * connections; every method is called on the connection's event loop.
 */
public interface ConnectionTransport {

    /** The listener's configured name. */
    String listener();

    /** {@code tcp}, {@code tls}, {@code ws} or {@code wss}. */
    String kind();

    /** The verified client certificate chain, client first; empty when the client presented none. */
    List<X509Certificate> clientCertificates(ChannelHandlerContext ctx);

    /**
     * The authentication name taken from the client certificate (subject CN or a SAN, as the
     * listener is configured), or null without one.
     */
    String certificateName(ChannelHandlerContext ctx);

    /**
     * Closes after the last packet was written, in a way that lets the client read it: TCP closes
     * only its sending side, TLS sends close_notify first, WebSocket sends a Close frame. The
     * connection is closed fully when the client closes too, or after {@code lingerMillis}.
     */
    void closeAfterReply(ChannelHandlerContext ctx, long lingerMillis);

    /** The client sent CONNECT: it no longer counts against the listener's bound on connections waiting for one. */
    void connectReceived(ChannelHandlerContext ctx);

    /** The connection closed; {@code connectReceived} tells whether it had sent CONNECT. */
    void closed(ChannelHandlerContext ctx, boolean connectReceived);
}
