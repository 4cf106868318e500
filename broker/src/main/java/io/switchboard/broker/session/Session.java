package io.switchboard.broker.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.delivery.Subscriber;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.storage.SessionRecord;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
import io.switchboard.broker.storage.SubscriptionRecord;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.Will;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one client id: subscriptions, the outbound queue and messages in flight, QoS 2
 * messages awaiting release, expiry and the delayed Will.
 *
 * <p>Thread confinement: all state is touched only on the session's event loop, which is the loop
 * of the connection last attached to it. Other threads reach the session through {@link #execute},
 * a mailbox drained in order on the current loop; when a connection on another loop attaches, the
 * session moves there, and the mailbox follows it, so the order of tasks is never broken. The few
 * volatile fields ({@link #online()}, {@link #unacknowledged()}, {@link #congested()},
 * {@link #persistent()}) are hints other threads read.
 *
 * <p>Storage: the state lives here, in memory; when the storage is durable, each change to what
 * outlives a connection (the session's record and Will, subscriptions, deliveries, QoS 2 ids) is
 * written in a batch, and what the client is told depends on it is acknowledged once it is durable.
 */
public final class Session implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int DRAIN_BATCH = 1024;
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final String clientId;
    private final SessionServices services;
    private final MessageQueue queue;
    private final Outbox outbox;
    /** Tasks from other threads. A linked queue: an idle session holds one node, not a chunk of slots. */
    private final Queue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    /** 1 while a drain is scheduled; a field updater rather than an AtomicBoolean saves 16 bytes a session. */
    private volatile int drainScheduled;
    private static final AtomicIntegerFieldUpdater<Session> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "drainScheduled");
    private volatile EventLoop loop;

    // Read by other threads: hints for routing.
    private volatile boolean online;
    /** Its deliveries are stored: durable storage and a Session Expiry Interval above 0. */
    private volatile boolean persistent;
    private volatile int unacknowledged;
    /** The attached connection is not taking what is written to it (and is not yet declared slow). */
    private volatile boolean connectionCongested;
    /** The last drain left tasks behind: the mailbox grows faster than this loop serves it. */
    private volatile boolean backlogged;
    /** Publishers waiting for this session to keep up again; guarded by {@code this}. */
    private List<Runnable> waiters;

    /** The attached connection, for readers on other threads (the admin API); null when offline. */
    private volatile SessionEndpoint published;

    // Confined to the session's event loop from here on.
    private SessionEndpoint connection;
    private SessionEndpoint attaching;
    /** Who the client last authenticated as, for the authorization of each delivery. */
    /** Volatile: read by other clients' loops (an authorizer asking who sent a request). */
    private volatile ClientIdentity identity;
    private boolean everAttached;
    /** The authentication name the session was last connected with (kept offline, and stored); null if none. */
    private String ownerName;
    private boolean ended;
    private long expiryIntervalSeconds;
    private Map<String, Subscription> subscriptions = Map.of();
    private Set<Integer> pendingPubrel = Set.of();
    private long generation;
    /** Storage holds a record of this session (so ending it must delete that). */
    private boolean recorded;
    private ScheduledFuture<?> expiryTimer;
    /** The Will waiting for its delay, or null. */
    private DelayedWill pendingWill;
    /** A Will found due at start-up, published once every session is restored; null otherwise. */
    private DelayedWill restoredWill;

    Session(String clientId, EventLoop loop, SessionServices services) {
        this.clientId = clientId;
        this.loop = loop;
        this.services = services;
        this.queue = new MessageQueue();
        this.outbox = new Outbox(clientId, queue, services, this);
    }

    public String clientId() {
        return clientId;
    }

    /** The attached connection, or null. On the session's loop. */
    SessionEndpoint connection() {
        return connection;
    }

    /** The connection being attached (CONNACK not yet sent), or null. On the session's loop. */
    SessionEndpoint attachingConnection() {
        return attaching;
    }

    /** The attached connection, or null. Any thread. */
    SessionEndpoint publishedConnection() {
        return published;
    }

    /** Whether the session ended (expired, or ended with its connection). On the session's loop. */
    boolean isEnded() {
        return ended;
    }

    /** The authentication name it belongs to, or null. On the session's loop. */
    String ownerName() {
        return ownerName;
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
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(this::drain);
        }
    }

    private void drain() {
        EventLoop current = loop;
        if (!current.inEventLoop()) {
            current.execute(this::drain);
            return;
        }
        drainScheduled = 0;
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
                LOG.error("Session {}: task failed", LogText.escape(clientId), e);
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
        boolean more = !mailbox.isEmpty();
        if (backlogged != more) {
            backlogged = more;
            if (!more) {
                wakeWaitersIfUncongested();
            }
        }
        if (more) {
            scheduleDrain();
        }
    }

    private void assertOnLoop() {
        assert loop.inEventLoop() : "session " + clientId + " touched outside its event loop";
    }

    // ---- Subscriber: what the router sees (any thread) ----

    @Override
    public void deliver(QueuedMessage m) {
        execute(() -> accept(m));
    }

    /** Who the attached client authenticated as (null when no authorizer decides, or never attached). Any thread. */
    public ClientIdentity identity() {
        return identity;
    }

    @Override
    public boolean online() {
        return online;
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    @Override
    public int unacknowledged() {
        return unacknowledged;
    }

    @Override
    public boolean congested() {
        return connectionCongested || backlogged;
    }

    @Override
    public void awaitUncongested(Runnable wakeUp) {
        synchronized (this) {
            if (congested()) {
                if (waiters == null) {
                    waiters = new ArrayList<>(2);
                }
                waiters.add(wakeUp);
                return;
            }
        }
        wakeUp.run();
    }

    /**
     * The attached connection stopped (true) or resumed (false) taking what is written to it, or was
     * declared slow (false: it no longer holds publishers back). On the session's loop.
     */
    public void connectionCongested(boolean congested) {
        connectionCongested = congested;
        if (!congested) {
            wakeWaitersIfUncongested();
        }
    }

    private void wakeWaitersIfUncongested() {
        List<Runnable> woken;
        synchronized (this) {
            if (waiters == null || congested()) {
                return;
            }
            woken = waiters;
            waiters = null;
        }
        for (Runnable r : woken) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // e.g. the publisher's loop is shutting down: the others must still be woken
                LOG.debug("Session {}: a waiting publisher could not be woken: {}", LogText.escape(clientId), e.toString());
            }
        }
    }

    // ---- attach and detach ----

    /** Attaches a connection, taking the session over from any connection attached before. */
    void attach(AttachRequest request) {
        assertOnLoop();
        if (ended) {
            services.registry().attach(request); // expired meanwhile: start again with a new session
            return;
        }
        SessionEndpoint old = connection != null ? connection : attaching;
        String owner = old != null && old.identity() != null ? old.identity().authenticationName() : ownerName;
        ClientIdentity newcomer = request.endpoint().identity();
        if (belongsToAnother(owner, newcomer)) {
            // Security: a client id cannot be taken by another identity, live or offline; the session stays.
            SessionEndpoint refused = request.endpoint();
            String why = old != null ? "is connected under another authentication name"
                    : "holds a session of another authentication name";
            refused.eventLoop().execute(() -> refused.refused(ReasonCode.NOT_AUTHORIZED, "client id '" + clientId
                    + "' " + why));
            return;
        }
        ownerName = newcomer == null ? null : newcomer.authenticationName();
        cancel(expiryTimer);
        connection = null;
        published = null;
        attaching = null;
        online = false;
        // The old connection's congestion goes with it: publishers waiting for it must not wait for ever.
        connectionCongested(false);
        if (old != null) {
            LOG.debug("Client {}: session taken over by a new connection", LogText.escape(clientId));
            ClientIdentity oldIdentity = old.identity();
            Will will = old.takenOver();
            if (will != null) {
                willLost(will, oldIdentity);
            }
        }
        // A session with expiry 0 ends when its network connection closes (5.0 section 3.1.2.11.2,
        // 3.1.1 [MQTT-3.1.2-6]): closing it for a takeover ends it, and Clean Start 0 cannot resume it.
        boolean endedWithOld = old != null && expiryIntervalSeconds == 0;
        boolean present = everAttached && !request.cleanStart() && !endedWithOld;
        StorageBatch batch = batch();
        if (request.cleanStart() || endedWithOld) {
            firePendingWill(); // [MQTT-3.1.3-9] the old session ends, so its delayed Will goes now
            outbox.handOverShared(); // section 4.8.2: what it held for shared groups goes to other members
            discardState(batch);
            if (recorded) {
                batch.deleteSession(clientId);
                recorded = false;
            }
        } else {
            cancelPendingWill(); // [MQTT-3.1.3-9] resumed before the Will Delay Interval passed
        }
        everAttached = true;
        setExpiryInterval(request.expiryIntervalSeconds());
        ClientIdentity who = request.endpoint().identity();
        writeRecord(batch, 0, request.will(), who);
        commit(batch);
        generation++;
        attaching = request.endpoint();
        loop = request.endpoint().eventLoop(); // move; the continuation runs on the new loop
        execute(() -> completeAttach(request.endpoint(), present));
    }

    /**
     * With an authorizer in force, a session belongs to the authentication name it was last
     * connected with, while connected and while offline: another name may not take it over, resume or
     * clear it (the same name may, as a device reconnects).
     */
    private boolean belongsToAnother(String owner, ClientIdentity newcomer) {
        return services.authorizer() != Authorizer.ALLOW_ALL && owner != null && newcomer != null
                && !owner.equals(newcomer.authenticationName());
    }

    /**
     * The policy changed: the attached client, if any, is decided again on the session's loop.
     * Completes with whether a client was connected and whether it was disconnected.
     */
    public CompletableFuture<Reauthorized> reauthorize() {
        CompletableFuture<Reauthorized> done = new CompletableFuture<>();
        try {
            execute(() -> {
                try {
                    SessionEndpoint c = connection;
                    done.complete(c == null ? Reauthorized.OFFLINE
                            : c.reauthorize() ? Reauthorized.KEPT : Reauthorized.DISCONNECTED);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            done.complete(Reauthorized.OFFLINE); // the loop is shutting down
        }
        return done;
    }

    /** What {@link #reauthorize} found. */
    public enum Reauthorized {
        OFFLINE, KEPT, DISCONNECTED
    }

    private void completeAttach(SessionEndpoint endpoint, boolean present) {
        if (attaching != endpoint) {
            return; // taken over before it was acknowledged
        }
        attaching = null;
        connection = endpoint;
        // Kept only when an authorizer decides on each delivery.
        identity = services.authorizer() == Authorizer.ALLOW_ALL ? null : endpoint.identity();
        online = true;
        endpoint.attached(this, present);
        if (connection == endpoint) {
            published = endpoint; // after CONNACK: what info() reads is set
            outbox.resume(endpoint);
            unacknowledged = outbox.unacknowledged();
        }
    }

    /**
     * The attached client re-authenticated (5.0 section 4.12.1): deliveries from now on are authorized
     * for the identity it now has. On the session's loop.
     */
    public void reauthenticated(ClientIdentity newIdentity) {
        assertOnLoop();
        identity = newIdentity;
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
        published = null;
        attaching = null;
        online = false;
        connectionCongested(false);
        if (will != null) {
            willLost(will, endpoint.identity());
        }
        if (expiryIntervalSeconds == 0) {
            end();
            return;
        }
        // Messages chosen for this member of a shared group go to another member rather than wait.
        outbox.handOverShared();
        unacknowledged = 0;
        StorageBatch batch = batch();
        writeRecord(batch, services.clock().millis(), pendingWill == null ? null : pendingWill.will(),
                pendingWill == null ? endpoint.identity() : pendingWill.owner());
        commit(batch);
        scheduleExpiry(expiryIntervalSeconds * 1000);
    }

    /** Ends the session once it has been offline {@code delayMillis} more, unless a connection attaches. */
    private void scheduleExpiry(long delayMillis) {
        if (expiryIntervalSeconds == NEVER_EXPIRES) {
            return;
        }
        long g = generation;
        expiryTimer = loop.schedule(() -> execute(() -> {
            if (g == generation && connection == null && attaching == null && !ended) {
                // DEBUG: a client can make as many sessions as it likes; one line each would flood the log.
                LOG.debug("Client {}: session expired after {} s", LogText.escape(clientId), expiryIntervalSeconds);
                end();
            }
        }), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /** Sets the Session Expiry Interval, as a 5.0 DISCONNECT may (the caller checks section 3.14.2.2.2). */
    public void setExpiryInterval(long seconds) {
        expiryIntervalSeconds = seconds;
        persistent = seconds > 0 && services.storage().durable();
    }

    public long expiryInterval() {
        return expiryIntervalSeconds;
    }

    /** Ends the session: its subscriptions, queue and stored state go, and a delayed Will is published. */
    void end() {
        ended = true;
        persistent = false;
        firePendingWill();
        outbox.handOverShared();
        StorageBatch batch = batch();
        discardState(batch);
        if (recorded) {
            batch.deleteSession(clientId);
            recorded = false;
        }
        commit(batch);
        // Last: until now a new connection finds this (ended) session and retries; after this it
        // creates a new one, which must not see this session's stored state.
        services.registry().remove(this);
    }

    /** Drops subscriptions, queue and QoS 2 ids; the caller deletes the stored session if there is one. */
    private void discardState(StorageBatch batch) {
        for (Subscription s : subscriptions.values()) {
            services.subscriptions().remove(clientId, s.filter());
        }
        subscriptions = Map.of();
        outbox.clear(batch);
        pendingPubrel = Set.of();
    }

    /** Drops everything when the broker stops, publishing nothing. */
    public void close() {
        cancel(expiryTimer);
        if (pendingWill != null) {
            pendingWill.cancel();
        }
    }

    /** Publishes the Will found due when this session was restored, if any. Start-up only. */
    void publishRestoredWill() {
        DelayedWill w = restoredWill;
        restoredWill = null;
        if (w != null) {
            publishWill(w.will(), w.owner());
            if (!ended && recorded) {
                StorageBatch batch = batch(); // published: no longer stored
                writeRecord(batch, services.clock().millis(), null, w.owner());
                commit(batch);
            }
        }
    }

    // ---- Will ----

    /** The connection of {@code owner} is gone without a normal DISCONNECT: its Will goes now or after its delay. */
    private void willLost(Will will, ClientIdentity owner) {
        Long delay = will.properties().willDelayInterval();
        long seconds = Math.min(delay == null ? 0 : delay, expiryIntervalSeconds);
        cancelPendingWill();
        if (seconds == 0) {
            publishWill(will, owner);
            return;
        }
        scheduleWill(will, owner, seconds * 1000);
    }

    private void scheduleWill(Will will, ClientIdentity owner, long delayMillis) {
        long g = generation;
        ScheduledFuture<?> timer = loop.schedule(() -> execute(() -> {
            if (g == generation && pendingWill != null && pendingWill.will() == will) {
                firePendingWill();
            }
        }), delayMillis, TimeUnit.MILLISECONDS);
        pendingWill = new DelayedWill(will, owner, timer);
    }

    private void firePendingWill() {
        DelayedWill w = pendingWill;
        cancelPendingWill();
        if (w != null) {
            publishWill(w.will(), w.owner());
            if (connection == null && attaching == null && recorded && !ended) {
                StorageBatch batch = batch(); // the stored Will is gone too
                writeRecord(batch, services.clock().millis(), null, w.owner());
                commit(batch);
            }
        }
    }

    private void cancelPendingWill() {
        if (pendingWill != null) {
            pendingWill.cancel();
            pendingWill = null;
        }
    }

    private void publishWill(Will will, ClientIdentity owner) {
        services.wills().publish(will, owner, clientId, this::execute);
    }

    // ---- outbound messages ----

    /** Delivers a message on the session's loop: sent now, queued, or dropped and counted. */
    private void accept(QueuedMessage m) {
        assertOnLoop();
        if (ended) {
            outbox.forget(m);
            return;
        }
        if (!mayReceive(m.message())) {
            outbox.forget(m);
            notAuthorized(m); // rights taken away stop the flow at once
            return;
        }
        outbox.deliver(m, connection);
        unacknowledged = outbox.unacknowledged();
    }

    /**
     * Whether the client may receive a topic now (the authorizer's decision for each delivery, with the
     * identity it last authenticated as). On the session's loop.
     */
    boolean mayReceive(Message message) {
        Authorizer authorizer = services.authorizer();
        return authorizer == Authorizer.ALLOW_ALL || identity == null || authorizer.mayReceive(identity, message);
    }

    /** A message the client may no longer receive: dropped, counted and audited. */
    void notAuthorized(QueuedMessage m) {
        services.metrics().droppedNotAuthorized.increment();
        services.audit().denied(clientId, identity, "receive", m.message().topic(), ReasonCode.NOT_AUTHORIZED);
    }

    /** PUBACK from the client. */
    public void onPuback(int packetId) {
        outbox.onPuback(packetId, connection);
        unacknowledged = outbox.unacknowledged();
    }

    /** PUBREC from the client; an error reason code ends the exchange (section 4.3.3). */
    public void onPubrec(int packetId, boolean error) {
        outbox.onPubrec(packetId, error, connection);
        unacknowledged = outbox.unacknowledged();
    }

    /** PUBCOMP from the client. */
    public void onPubcomp(int packetId) {
        outbox.onPubcomp(packetId, connection);
        unacknowledged = outbox.unacknowledged();
    }

    /** Drops the expired messages waiting in the queue ([MQTT-3.3.2-5]). On the session's loop. */
    void dropExpiredQueued() {
        if (!ended) {
            outbox.dropExpired();
        }
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

    /** A QoS 2 PUBLISH was received: its id waits for PUBREL; stored in {@code batch} (may be null). */
    public void addPendingPubrel(int packetId, StorageBatch batch) {
        if (pendingPubrel.isEmpty()) {
            pendingPubrel = new HashSet<>(4);
        }
        pendingPubrel.add(packetId);
        if (recorded && batch != null) {
            batch.addPendingPubrel(clientId, packetId);
        }
    }

    /** PUBREL: releases the id, in {@code batch} too (may be null); false when it was not pending. */
    public boolean release(int packetId, StorageBatch batch) {
        boolean found = !pendingPubrel.isEmpty() && pendingPubrel.remove(packetId);
        if (found && recorded && batch != null) {
            batch.removePendingPubrel(clientId, packetId);
        }
        return found;
    }

    public int pendingPubrelCount() {
        return pendingPubrel.size();
    }

    // ---- subscriptions ----

    /**
     * Adds or replaces a subscription, stored in {@code batch} (may be null); true when one with the
     * same filter existed ([MQTT-3.8.4-3]).
     */
    public boolean subscribe(Subscription s, StorageBatch batch) {
        Subscription previous;
        if (subscriptions.isEmpty() || (subscriptions.size() == 1 && subscriptions.containsKey(s.filter()))) {
            // One subscription (the usual device) is an immutable one-entry map: a HashMap costs ~130 bytes.
            previous = subscriptions.isEmpty() ? null : subscriptions.get(s.filter());
            subscriptions = Map.of(s.filter(), s);
        } else {
            if (!(subscriptions instanceof HashMap)) {
                subscriptions = new HashMap<>(subscriptions);
            }
            previous = subscriptions.put(s.filter(), s);
        }
        services.subscriptions().add(s);
        if (recorded && batch != null) {
            batch.putSubscription(clientId, record(s)); // one key per subscription: n cost O(n), not O(n^2)
        }
        return previous != null;
    }

    /** Removes a subscription, in {@code batch} too (may be null); false when none existed. */
    public boolean unsubscribe(String filter, StorageBatch batch) {
        if (!subscriptions.containsKey(filter)) {
            return false;
        }
        if (subscriptions.size() == 1) {
            subscriptions = Map.of();
        } else {
            subscriptions.remove(filter);
        }
        services.subscriptions().remove(clientId, filter);
        if (recorded && batch != null) {
            batch.deleteSubscription(clientId, filter);
        }
        return true;
    }

    public Map<String, Subscription> subscriptions() {
        return Collections.unmodifiableMap(subscriptions);
    }

    // ---- storage ----

    /** A batch for what changes now; the memory storage's batch records nothing. */
    StorageBatch batch() {
        return services.storage().batch();
    }

    /** Submits a batch nothing waits for (failures are logged by the storage). */
    void commit(StorageBatch batch) {
        batch.submit();
    }

    /** A batch for what a client will be acknowledged for: null when storage is not durable. */
    public StorageBatch ackBatch() {
        return recorded ? batch() : null;
    }

    /**
     * Writes the session's record, or deletes it when the session no longer outlives its
     * connection (expiry 0: nothing of it is stored).
     */
    private void writeRecord(StorageBatch batch, long disconnectedAt, Will will, ClientIdentity who) {
        if (!persistent) {
            if (recorded) {
                batch.deleteSession(clientId);
                recorded = false;
            }
            return;
        }
        batch.putSession(new SessionRecord(clientId, expiryIntervalSeconds, disconnectedAt, will,
                who == null ? null : who.authenticationName(), who == null ? null : who.listener()));
        recorded = true;
    }

    private static SubscriptionRecord record(Subscription s) {
        return new SubscriptionRecord(s.filter(), s.qos(), s.noLocal(), s.retainAsPublished(), s.retainHandling(),
                s.subscriptionId());
    }

    /**
     * Rebuilds a session from storage at start-up, before any listener opens: offline since
     * {@code offlineSince} (the stored disconnect time, or the last time the previous run was alive
     * for a session that was connected then), its expiry and Will Delay counted from there.
     * Returns false when it expired meanwhile (the caller deletes it). A Will already due is kept for
     * {@link #publishRestoredWill}, called once every session is back, so that sessions restored
     * after this one receive it too.
     */
    boolean restore(StoredState.StoredSession stored, long offlineSince, long now) {
        SessionRecord r = stored.record();
        everAttached = true;
        ownerName = r.authenticationName();
        recorded = true;
        setExpiryInterval(r.expiryIntervalSeconds());
        ClientIdentity owner = r.authenticationName() == null && r.listener() == null ? null
                : new ClientIdentity(clientId, r.authenticationName(), r.listener(), Map.of());
        long offlineMillis = Math.max(0, now - offlineSince);
        boolean expired = expiryIntervalSeconds != NEVER_EXPIRES && offlineMillis >= expiryIntervalSeconds * 1000;
        if (r.will() != null) {
            // The connection went without a normal DISCONNECT (or the broker stopped under it): its
            // Will goes when its delay, counted from then, has passed, or when the session ends.
            Long delay = r.will().properties().willDelayInterval();
            long left = Math.min(delay == null ? 0 : delay, expiryIntervalSeconds) * 1000 - offlineMillis;
            if (left <= 0 || expired) {
                restoredWill = new DelayedWill(r.will(), owner, null);
            } else {
                scheduleWill(r.will(), owner, left);
            }
        }
        if (expired) {
            ended = true; // the caller deletes what is stored of it
            recorded = false;
            persistent = false;
            return false;
        }
        for (SubscriptionRecord s : stored.subscriptions()) {
            subscribe(new Subscription(clientId, s.filter(), s.qos(), s.noLocal(), s.retainAsPublished(),
                    s.retainHandling(), s.subscriptionId()), null);
        }
        for (StoredState.StoredDelivery d : stored.deliveries()) {
            outbox.restore(d);
        }
        for (int id : stored.pendingPubrel()) {
            addPendingPubrel(id, null);
        }
        scheduleExpiry(expiryIntervalSeconds == NEVER_EXPIRES ? 0 : expiryIntervalSeconds * 1000 - offlineMillis);
        return true;
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
