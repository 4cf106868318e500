package io.switchboard.broker.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.broker.BrokerContext;
import io.switchboard.broker.delivery.Message;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.storage.MessageQueue;
import io.switchboard.broker.storage.QueuedMessage;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.codec.packet.Will;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one client id: subscriptions, the outbound queue and messages in flight, QoS 2
 * messages awaiting release, expiry and the delayed Will.
 *
 * <p>Thread confinement: all state is touched only on the session's event loop, which is the loop
 * of the connection last attached to it. Other threads reach the session through {@link #execute},
 * a mailbox drained in order on the current loop; when a connection on another loop attaches, the
 * session moves there, and the mailbox follows it, so the order of tasks is never broken.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int DRAIN_BATCH = 1024;
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    private final BrokerContext broker;
    private final MessageQueue queue;
    private final Outbox outbox;
    private final Queue<Runnable> mailbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile EventLoop loop;

    // Confined to the session's event loop from here on.
    private SessionEndpoint connection;
    private SessionEndpoint attaching;
    private boolean everAttached;
    private boolean ended;
    private long expiryIntervalSeconds;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Set<Integer> pendingPubrel = new HashSet<>();
    private long generation;
    private ScheduledFuture<?> expiryTimer;
    private Will pendingWill;
    private ScheduledFuture<?> willTimer;

    Session(String clientId, EventLoop loop, BrokerContext broker) {
        this.clientId = clientId;
        this.loop = loop;
        this.broker = broker;
        this.queue = broker.storage().sessions().queue(clientId);
        this.outbox = new Outbox(clientId, queue, broker);
    }

    public String clientId() {
        return clientId;
    }

    /** The event loop that owns this session now. Any thread. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** Runs a task on the session's event loop, after the tasks submitted before it. Any thread. */
    public void execute(Runnable task) {
        mailbox.offer(task);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    private void drain() {
        EventLoop current = loop;
        if (!current.inEventLoop()) {
            current.execute(this::drain);
            return;
        }
        drainScheduled.set(false);
        SessionEndpoint flushed = connection;
        boolean moved = false;
        for (int n = 0; n < DRAIN_BATCH; n++) {
            Runnable task = mailbox.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Session {}: task failed", clientId, e);
            }
            if (loop != current) {
                moved = true; // the session moved to another loop; the rest of the mailbox runs there
                break;
            }
        }
        // Flush once for the whole batch. After a move, the session's fields belong to the new loop:
        // only the connection read before the move (served by this loop) is flushed here.
        if (flushed != null) {
            flushed.flush();
        }
        if (!moved && connection != null && connection != flushed) {
            connection.flush();
        }
        if (!mailbox.isEmpty()) {
            scheduleDrain();
        }
    }

    private void assertOnLoop() {
        assert loop.inEventLoop() : "session " + clientId + " touched outside its event loop";
    }

    // ---- attach and detach ----

    /** Attaches a connection, taking the session over from any connection attached before. */
    void attach(AttachRequest request) {
        assertOnLoop();
        if (ended) {
            broker.sessions().attach(request); // expired meanwhile: start again with a new session
            return;
        }
        cancel(expiryTimer);
        SessionEndpoint old = connection != null ? connection : attaching;
        connection = null;
        attaching = null;
        if (old != null) {
            LOG.info("Client {}: session taken over by a new connection", clientId);
            Will will = old.takenOver();
            if (will != null) {
                willLost(will);
            }
        }
        // A session with expiry 0 ends when its network connection closes (5.0 section 3.1.2.11.2,
        // 3.1.1 [MQTT-3.1.2-6]): closing it for a takeover ends it, and Clean Start 0 cannot resume it.
        boolean endedWithOld = old != null && expiryIntervalSeconds == 0;
        boolean present = everAttached && !request.cleanStart() && !endedWithOld;
        if (request.cleanStart() || endedWithOld) {
            firePendingWill(); // [MQTT-3.1.3-9] the old session ends, so its delayed Will goes now
            discardState();
        } else {
            cancelPendingWill(); // [MQTT-3.1.3-9] resumed before the Will Delay Interval passed
        }
        everAttached = true;
        expiryIntervalSeconds = request.expiryIntervalSeconds();
        persist();
        generation++;
        attaching = request.endpoint();
        loop = request.endpoint().eventLoop(); // move; the continuation runs on the new loop
        execute(() -> completeAttach(request.endpoint(), present));
    }

    private void completeAttach(SessionEndpoint endpoint, boolean present) {
        if (attaching != endpoint) {
            return; // taken over before it was acknowledged
        }
        attaching = null;
        connection = endpoint;
        endpoint.attached(this, present);
        if (connection == endpoint) {
            outbox.resume(endpoint);
        }
    }

    /**
     * The connection is gone. {@code will} is its Will Message when it must be published (the
     * connection was lost or ended with reason 0x04), else null.
     */
    public void detach(SessionEndpoint endpoint, Will will) {
        assertOnLoop();
        if (connection != endpoint && attaching != endpoint) {
            return;
        }
        connection = null;
        attaching = null;
        if (will != null) {
            willLost(will);
        }
        if (expiryIntervalSeconds == 0) {
            end();
            return;
        }
        persist();
        if (expiryIntervalSeconds != NEVER_EXPIRES) {
            long g = generation;
            expiryTimer = loop.schedule(() -> execute(() -> {
                if (g == generation && connection == null && attaching == null && !ended) {
                    LOG.info("Client {}: session expired after {} s", clientId, expiryIntervalSeconds);
                    end();
                }
            }), expiryIntervalSeconds, TimeUnit.SECONDS);
        }
    }

    /** Sets the Session Expiry Interval, as a 5.0 DISCONNECT may (the caller checks section 3.14.2.2.2). */
    public void setExpiryInterval(long seconds) {
        expiryIntervalSeconds = seconds;
    }

    public long expiryInterval() {
        return expiryIntervalSeconds;
    }

    /** Ends the session: its subscriptions, queue and stored state go, and a delayed Will is published. */
    void end() {
        ended = true;
        firePendingWill();
        discardState();
        broker.storage().sessions().delete(clientId);
        // Last: until now a new connection finds this (ended) session and retries; after this it
        // creates a new one, which must not see this session's stored state.
        broker.sessions().remove(this);
    }

    private void discardState() {
        for (Subscription s : subscriptions.values()) {
            broker.subscriptions().remove(this, s.filter());
        }
        subscriptions.clear();
        queue.clear();
        pendingPubrel.clear();
    }

    /** Drops everything when the broker stops, publishing nothing. */
    public void close() {
        cancel(expiryTimer);
        cancel(willTimer);
    }

    // ---- Will ----

    private void willLost(Will will) {
        Long delay = will.properties().willDelayInterval();
        long seconds = Math.min(delay == null ? 0 : delay, expiryIntervalSeconds);
        cancelPendingWill();
        if (seconds == 0) {
            publishWill(will);
            return;
        }
        pendingWill = will;
        long g = generation;
        willTimer = loop.schedule(() -> execute(() -> {
            if (g == generation && pendingWill == will) {
                firePendingWill();
            }
        }), seconds, TimeUnit.SECONDS);
    }

    private void firePendingWill() {
        Will will = pendingWill;
        cancelPendingWill();
        if (will != null) {
            publishWill(will);
        }
    }

    private void cancelPendingWill() {
        pendingWill = null;
        cancel(willTimer);
        willTimer = null;
    }

    private void publishWill(Will will) {
        LOG.debug("Client {}: publishing Will to '{}'", clientId, will.topic());
        broker.router().publish(Message.fromWill(will, clientId, broker.clock().millis()));
    }

    // ---- outbound messages ----

    /** Delivers a message to this session: sent now, queued, or dropped and counted. */
    public void deliver(QueuedMessage m) {
        assertOnLoop();
        if (!ended) {
            outbox.deliver(m, connection);
        }
    }

    /** PUBACK from the client. */
    public void onPuback(int packetId) {
        outbox.onPuback(packetId, connection);
    }

    /** PUBREC from the client; an error reason code ends the exchange (section 4.3.3). */
    public void onPubrec(int packetId, boolean error) {
        outbox.onPubrec(packetId, error, connection);
    }

    /** PUBCOMP from the client. */
    public void onPubcomp(int packetId) {
        outbox.onPubcomp(packetId, connection);
    }

    public int inflightCount() {
        return queue.inflightCount();
    }

    public int queuedCount() {
        return queue.waitingCount();
    }

    // ---- inbound QoS 2 ----

    /** Whether a QoS 2 PUBLISH with this id was received and not yet released (a resend must not be routed again). */
    public boolean awaitingPubrel(int packetId) {
        return pendingPubrel.contains(packetId);
    }

    public void addPendingPubrel(int packetId) {
        pendingPubrel.add(packetId);
    }

    /** PUBREL: releases the id; false when it was not pending. */
    public boolean release(int packetId) {
        return pendingPubrel.remove(packetId);
    }

    public int pendingPubrelCount() {
        return pendingPubrel.size();
    }

    // ---- subscriptions ----

    /** Adds or replaces a subscription; true when one with the same filter existed ([MQTT-3.8.4-3]). */
    public boolean subscribe(Subscription s) {
        Subscription previous = subscriptions.put(s.filter(), s);
        broker.subscriptions().add(s);
        persist();
        return previous != null;
    }

    /** Removes a subscription; false when none existed. */
    public boolean unsubscribe(String filter) {
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        broker.subscriptions().remove(this, filter);
        persist();
        return true;
    }

    public Map<String, Subscription> subscriptions() {
        return java.util.Collections.unmodifiableMap(subscriptions);
    }

    private void persist() {
        if (expiryIntervalSeconds == 0) {
            return;
        }
        List<SessionRecord.SubscriptionRecord> subs = new ArrayList<>(subscriptions.size());
        for (Subscription s : subscriptions.values()) {
            subs.add(new SessionRecord.SubscriptionRecord(s.filter(), s.qos(), s.noLocal(), s.retainAsPublished(),
                    s.retainHandling(), s.subscriptionId()));
        }
        broker.storage().sessions().save(new SessionRecord(clientId, expiryIntervalSeconds, subs, pendingPubrel));
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "Session[" + clientId + "]";
    }
}
