package io.switchboard.broker.sys;

import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.session.SessionRegistry;
import io.switchboard.broker.storage.RetainedIndex;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the broker's statistics under {@code $SYS/broker/} every {@code sys.interval} seconds,
 * as retained QoS 0 messages with plain-text values, so a new subscriber sees the latest at once.
 * The topics are listed in docs/configuration.md. Runs on its own thread ({@code sb-sys}), never on
 * an event loop.
 */
public final class SysPublisher implements AutoCloseable {
    public static final String PREFIX = "$SYS/broker/";
    private static final Logger LOG = LoggerFactory.getLogger(SysPublisher.class);

    private final int intervalSeconds;
    private final BrokerMetrics metrics;
    private final SessionRegistry sessions;
    private final SubscriptionTree subscriptions;
    private final RetainedIndex retained;
    private final Router router;
    private final Clock clock;
    private final String version;
    private final long startedAtMillis;
    private ScheduledExecutorService timer;
    private long lastAt;
    private long lastReceived;
    private long lastSent;
    private long lastBytesReceived;
    private long lastBytesSent;

    public SysPublisher(int intervalSeconds, BrokerMetrics metrics, SessionRegistry sessions,
            SubscriptionTree subscriptions, RetainedIndex retained, Router router, Clock clock, String version) {
        this.intervalSeconds = intervalSeconds;
        this.metrics = metrics;
        this.sessions = sessions;
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.router = router;
        this.clock = clock;
        this.version = version;
        this.startedAtMillis = clock.millis();
        this.lastAt = startedAtMillis;
    }

    /** Publishes now and then every interval, until {@link #close()}; does nothing when the interval is 0. */
    public void start() {
        if (intervalSeconds == 0) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-sys");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                publishNow();
            } catch (RuntimeException e) {
                LOG.warn("Publishing $SYS statistics failed", e);
            }
        }, 0, intervalSeconds, TimeUnit.SECONDS);
    }

    /** The statistics, topic (below {@code $SYS/broker/}) to value, as published. Any thread. */
    public synchronized Map<String, String> snapshot() {
        long now = clock.millis();
        double seconds = Math.max(1, now - lastAt) / 1000.0;
        long received = metrics.messagesReceived.total();
        long sent = metrics.messagesSent.total();
        long bytesIn = metrics.bytesReceived.sum();
        long bytesOut = metrics.bytesSent.sum();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("uptime", Long.toString((now - startedAtMillis) / 1000));
        m.put("clients/connected", Long.toString(metrics.clientsConnected.get()));
        m.put("clients/total", Integer.toString(sessions.size()));
        m.put("clients/maximum", Long.toString(metrics.clientsMaximum.get()));
        m.put("messages/received", Long.toString(received));
        m.put("messages/sent", Long.toString(sent));
        m.put("messages/received/perSecond", rate(received - lastReceived, seconds));
        m.put("messages/sent/perSecond", rate(sent - lastSent, seconds));
        m.put("bytes/received", Long.toString(bytesIn));
        m.put("bytes/sent", Long.toString(bytesOut));
        m.put("bytes/received/perSecond", rate(bytesIn - lastBytesReceived, seconds));
        m.put("bytes/sent/perSecond", rate(bytesOut - lastBytesSent, seconds));
        m.put("subscriptions/count", Integer.toString(subscriptions.size()));
        m.put("retained/count", Integer.toString(retained.size()));
        m.put("queued/count", Long.toString(Math.max(0, metrics.queuedMessages.sum())));
        m.put("dropped/count", Long.toString(metrics.droppedTotal()));
        m.put("dropped/queueFull", Long.toString(metrics.droppedQueueFull.sum()));
        m.put("dropped/offlineQos0", Long.toString(metrics.droppedOfflineQos0.sum()));
        m.put("dropped/expired", Long.toString(metrics.droppedExpired.sum()));
        m.put("dropped/tooLarge", Long.toString(metrics.droppedTooLarge.sum()));
        m.put("dropped/slowSubscriber", Long.toString(metrics.droppedSlowConsumer.sum()));
        m.put("dropped/notAuthorized", Long.toString(metrics.droppedNotAuthorized.sum()));
        m.put("rpc/requests", Long.toString(metrics.rpcRequests.sum()));
        m.put("rpc/replies", Long.toString(metrics.rpcReplies.sum()));
        m.put("rpc/noResponderReplies", Long.toString(metrics.rpcNoResponderReplies.sum()));
        m.put("rpc/expiryReplies", Long.toString(metrics.rpcExpiryReplies.sum()));
        lastAt = now;
        lastReceived = received;
        lastSent = sent;
        lastBytesReceived = bytesIn;
        lastBytesSent = bytesOut;
        return m;
    }

    /** Publishes every statistic once, now. */
    public void publishNow() {
        snapshot().forEach((topic, value) -> router.publish(new Message(PREFIX + topic, 0, true,
                Payload.utf8(value), Properties.EMPTY, "", 0)));
    }

    private static String rate(long delta, double seconds) {
        return Long.toString(Math.round(delta / seconds));
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
