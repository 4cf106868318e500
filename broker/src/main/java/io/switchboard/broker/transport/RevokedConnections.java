package io.switchboard.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.switchboard.broker.protocol.MqttConnection;
import java.security.cert.Certificate;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Closes the open connections of a listener whose client certificate its CRLs now revoke
 * ({@code tls.closeRevoked}), through {@link MqttConnection#closeNotAuthorized}: an MQTT 5 client
 * gets DISCONNECT 0x87 (Not authorized) with a reason string, a 3.1.1 client is closed.
 *
 * <p>Each connection is looked at on its own event loop, one task per loop for all its connections.
 * A connection still in its handshake began it with the context in force before, whose CRLs may not
 * revoke what the new ones do: it is looked at again when the handshake completes, against the CRLs
 * in force then.
 */
final class RevokedConnections {
    /** What the client reads in the DISCONNECT's Reason String. */
    static final String REASON = "the client certificate was revoked";

    private final ChannelGroup channels;
    private final Supplier<Revocations> current;

    /**
     * @param channels the listener's open connections
     * @param current the CRLs in force now
     */
    RevokedConnections(ChannelGroup channels, Supplier<Revocations> current) {
        this.channels = channels;
        this.current = current;
    }

    /** Closes the connections whose certificate is revoked; completes with how many, once every loop has looked. */
    CompletableFuture<Integer> close() {
        Map<EventLoop, List<Channel>> byLoop = new HashMap<>();
        for (Channel ch : channels) {
            byLoop.computeIfAbsent(ch.eventLoop(), l -> new ArrayList<>()).add(ch);
        }
        List<CompletableFuture<Integer>> loops = new ArrayList<>(byLoop.size());
        byLoop.forEach((loop, list) -> {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            loops.add(done);
            try {
                loop.execute(() -> {
                    int closed = 0;
                    for (Channel ch : list) {
                        if (check(ch)) {
                            closed++;
                        }
                    }
                    done.complete(closed);
                });
            } catch (RejectedExecutionException e) {
                done.complete(0); // the broker is stopping: its connections are being closed anyway
            }
        });
        return CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                .thenApply(v -> loops.stream().mapToInt(CompletableFuture::join).sum());
    }

    /** Closes {@code ch} if its certificate is revoked; on its loop. */
    private boolean check(Channel ch) {
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        if (tls == null || !ch.isOpen()) {
            return false;
        }
        if (!tls.handshakeFuture().isDone()) {
            tls.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    closeIfRevoked(ch, tls);
                }
            });
            return false;
        }
        return tls.handshakeFuture().isSuccess() && closeIfRevoked(ch, tls);
    }

    private boolean closeIfRevoked(Channel ch, SslHandler tls) {
        Revocations crls = current.get();
        if (crls == null || !ch.isOpen()) {
            return false;
        }
        Certificate[] chain;
        try {
            chain = tls.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return false; // no client certificate (clientAuth optional)
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate client)) {
            return false;
        }
        X509Certificate issuer = chain.length > 1 && chain[1] instanceof X509Certificate x ? x : null;
        X509CRLEntry entry = crls.revoked(client, issuer);
        if (entry == null) {
            return false;
        }
        MqttConnection connection = ch.pipeline().get(MqttConnection.class);
        if (connection != null) {
            connection.closeNotAuthorized(REASON);
        } else {
            ch.close();
        }
        return true;
    }
}
