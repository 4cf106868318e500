package io.switchboard.broker;

import io.netty.channel.EventLoopGroup;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.session.SessionRegistry;
import io.switchboard.broker.storage.RetainedIndex;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker does with its stored state outside of clients' requests: rebuilding it at start,
 * before any listener opens, and removing expired retained and queued messages in the background
 * (thread {@code sb-cleanup}).
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Storage storage;
    private final RetainedIndex retained;
    private final SessionRegistry sessions;
    private final Clock clock;
    /** Null until started. */
    private volatile ScheduledExecutorService cleanup;

    Housekeeping(Storage storage, RetainedIndex retained, SessionRegistry sessions, Clock clock) {
        this.storage = storage;
        this.retained = retained;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * Rebuilds what the storage holds: retained messages (expired ones deleted), then sessions with
     * their subscriptions, queues, messages in flight and QoS 2 ids, each on one of {@code loops}.
     */
    void recover(EventLoopGroup loops) {
        StoredState state = storage.recover();
        long now = clock.millis();
        StorageBatch expired = storage.batch();
        for (Message m : state.retained()) {
            if (m.isExpired(now)) {
                expired.deleteRetained(m.topic()); // [MQTT-3.3.2-5] its expiry counts the downtime
            } else {
                retained.put(m);
            }
        }
        expired.submit();
        int restored = sessions.restore(state, loops);
        if (!state.sessions().isEmpty() || !state.retained().isEmpty()) {
            LOG.info("Recovered {} sessions ({} expired while the broker was down) and {} retained messages",
                    restored, state.sessions().size() - restored, retained.size());
        }
    }

    /** Every {@code everySeconds}: expired retained messages and queued messages go. */
    void startCleanup(long everySeconds) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sb-cleanup");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> {
            try {
                List<Message> gone = retained.removeExpired(clock.millis());
                if (!gone.isEmpty() && storage.durable()) {
                    StorageBatch batch = storage.batch();
                    gone.forEach(m -> batch.deleteRetained(m.topic()));
                    batch.submit();
                }
                sessions.dropExpiredQueued();
            } catch (RuntimeException e) {
                LOG.warn("Cleanup of expired messages failed", e);
            }
        }, everySeconds, everySeconds, TimeUnit.SECONDS);
        cleanup = s;
    }

    @Override
    public void close() {
        ScheduledExecutorService s = cleanup;
        if (s != null) {
            s.shutdownNow();
        }
    }
}
