package io.switchboard.rpc;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reply subscriptions of the wire formats whose replies come on a topic derived from the
 * request's ({@link Format#replyFilter}, MQTT 3.1.1): one per filter, however many calls use it,
 * subscribed before the first of them is published, and unsubscribed once no call has used it for
 * the linger time (so that a burst of calls does not subscribe and unsubscribe each time).
 */
final class ReplyRoutes {
    private final Link link;
    private final Link.Receiver receiver;
    private final ScheduledExecutorService timer;
    private final long lingerMillis;
    private final Map<String, Route> routes = new HashMap<>(); // guarded by this

    private static final class Route {
        final CompletableFuture<Void> ready;
        int users;
        ScheduledFuture<?> idle;

        Route(CompletableFuture<Void> ready) {
            this.ready = ready;
        }
    }

    ReplyRoutes(Link link, Link.Receiver receiver, ScheduledExecutorService timer, Duration linger) {
        this.link = link;
        this.receiver = receiver;
        this.timer = timer;
        this.lingerMillis = linger.toMillis();
    }

    /** Uses {@code filter}; completes once it is subscribed (at once when it already is). Each use ends with {@link #release}. */
    synchronized CompletableFuture<Void> acquire(String filter) {
        Route r = routes.get(filter);
        if (r == null || r.ready.isCompletedExceptionally()) {
            // MQTT keeps a connection's packets in order: an UNSUBSCRIBE still on its way is done before this.
            r = new Route(link.subscribe(filter, 1, false, receiver));
            routes.put(filter, r);
        }
        r.users++;
        if (r.idle != null) {
            r.idle.cancel(false);
            r.idle = null;
        }
        return r.ready;
    }

    synchronized void release(String filter) {
        Route r = routes.get(filter);
        if (r == null || --r.users > 0) {
            return;
        }
        if (lingerMillis == 0 || r.ready.isCompletedExceptionally()) {
            drop(filter, r);
        } else {
            r.idle = timer.schedule(() -> expire(filter, r), lingerMillis, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void expire(String filter, Route r) {
        if (routes.get(filter) == r && r.users == 0) {
            drop(filter, r);
        }
    }

    private void drop(String filter, Route r) {
        routes.remove(filter);
        if (!r.ready.isCompletedExceptionally()) {
            link.unsubscribe(filter);
        }
    }

    /** Whether a message on {@code topic} came through one of these subscriptions. */
    synchronized boolean covers(String topic) {
        for (String filter : routes.keySet()) {
            if (TopicFilters.matches(filter, topic)) {
                return true;
            }
        }
        return false;
    }

    synchronized int count() {
        return routes.size();
    }
}
