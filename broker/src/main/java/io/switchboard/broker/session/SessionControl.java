package io.switchboard.broker.session;

import io.switchboard.broker.routing.Subscription;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * What an operator may see of and do to a session (the admin API): each on the session's event
 * loop, as everything that touches a session; the result completes on that loop.
 */
public final class SessionControl {
    private SessionControl() {
    }

    /** The connection of a connected client now, or null. Any thread; reads what the connection publishes. */
    public static ConnectionInfo connection(Session s) {
        SessionEndpoint e = s.publishedConnection();
        return e == null ? null : e.info();
    }

    /** The session as it is now; completes with null when it ended meanwhile. */
    public static CompletableFuture<SessionView> view(Session s) {
        return onLoop(s, () -> {
            if (s.isEnded()) {
                return null;
            }
            SessionEndpoint c = s.connection();
            return new SessionView(s.clientId(), c == null ? null : c.info(), s.ownerName(), s.expiryInterval(),
                    s.persistent(), s.queuedCount(), s.inflightCount(), s.pendingPubrelCount(),
                    s.subscriptions().values().stream().sorted(Comparator.comparing(Subscription::filter)).toList());
        });
    }

    /**
     * Disconnects the connected client with {@code reasonCode} (a DISCONNECT in 5.0, a close in
     * 3.1.1); the session then lives on as its expiry interval says, and the Will is published
     * ([MQTT-3.1.2-8]). Completes with false when no client was connected.
     */
    public static CompletableFuture<Boolean> disconnect(Session s, ReasonCode reasonCode, String reason) {
        if (!serverMaySend(reasonCode)) {
            throw new IllegalArgumentException(reasonCode + " is not a reason code a server may send in DISCONNECT");
        }
        return onLoop(s, () -> {
            SessionEndpoint c = s.connection();
            if (c == null) {
                return false;
            }
            c.disconnect(reasonCode, reason);
            return true;
        });
    }

    /**
     * Ends the session as its expiry would, and deletes what is stored of it: a connected client is
     * first disconnected with 0x98 (Administrative action), the session ending with its connection.
     * Completes with false when the session had already ended.
     */
    public static CompletableFuture<Boolean> discard(Session s, String reason) {
        return onLoop(s, () -> {
            if (s.isEnded()) {
                return false;
            }
            SessionEndpoint c = s.connection() != null ? s.connection() : s.attachingConnection();
            if (c == null) {
                s.end();
            } else {
                s.setExpiryInterval(0); // the session ends when this connection closes
                c.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, reason);
            }
            return true;
        });
    }

    /**
     * Whether a server may send {@code rc} in a DISCONNECT (5.0 section 3.14.2.1: every DISCONNECT
     * reason code but 0x04, Disconnect with Will Message, which only a client sends).
     */
    public static boolean serverMaySend(ReasonCode rc) {
        return rc.allowedIn(PacketType.DISCONNECT) && rc != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE;
    }

    private interface OnLoop<T> {
        T get();
    }

    private static <T> CompletableFuture<T> onLoop(Session s, OnLoop<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            s.execute(() -> {
                try {
                    done.complete(task.get());
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e); // the broker is stopping
        }
        return done;
    }
}
