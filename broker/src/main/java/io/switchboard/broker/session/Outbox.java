package io.switchboard.broker.session;

import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StoredState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound flow of one session: what is sent now, what waits in the queue (bounded in messages
 * and bytes), the in-flight window (the client's Receive Maximum and {@code mqtt.maxInflight}),
 * packet ids and the QoS 1/2 acknowledgements. Part of its {@link Session}, confined to the same
 * event loop; {@code connection} is the attached connection, or null while the session is offline.
 *
 * <p>A stored delivery ({@link QueuedMessage#stored()}) was written by the publisher's batch before
 * it got here; the outbox writes how it goes on: its packet id before a QoS 2 PUBLISH is sent (so
 * that after a restart it is resent under the same id, and the client does not take it twice),
 * PUBREC received before PUBREL is sent (once the client has PUBREL it forgets the packet id, so a
 * PUBLISH resent after a restart that lost the PUBREC would be taken as a new message), and its
 * removal once acknowledged, dropped or handed to another member. QoS 1 packet ids are not stored:
 * after a restart a QoS 1 message may come again under a new id, as QoS 1 allows.
 *
 * <p>It keeps the broker-wide gauges {@code queuedMessages} and {@code inflightMessages} (see
 * {@link io.switchboard.broker.metrics.BrokerMetrics}): every message that enters or leaves its queue
 * or its in-flight window moves them, so that they are back at 0 when no session holds anything.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final String clientId;
    private final MessageQueue queue;
    private final SessionServices services;
    private int lastPacketId;
    /**
     * Ids of messages in flight from an earlier connection that are not yet resent on this one,
     * oldest first: the send quota is re-initialized per connection (section 4.9), so on resume only
     * as many PUBLISHes as the client's Receive Maximum allows are resent, the rest as acks come.
     */
    private LinkedHashSet<Integer> resendLater = EMPTY;
    private static final LinkedHashSet<Integer> EMPTY = new LinkedHashSet<>(0);

    /**
     * Sends held back, in order, behind a QoS 2 PUBLISH whose packet id is being stored or a PUBREL
     * whose PUBREC is: the client gets its messages in the order they came, whatever their QoS, and
     * its PUBRELs in the order of its PUBRECs. Null while nothing is held.
     */
    private ArrayDeque<HeldSend> held;

    private static final class HeldSend {
        final QueuedMessage message;
        /** The in-flight entry (QoS 1/2), or null for QoS 0. */
        final InflightMessage inflight;
        /** Where it goes: the connection it was meant for; a waiting PUBREL moves to the next one. */
        SessionEndpoint connection;
        /** A PUBREL for {@code inflight} (released) once its PUBREC is durable, rather than a PUBLISH. */
        final boolean pubrel;
        boolean ready;

        HeldSend(QueuedMessage message, InflightMessage inflight, SessionEndpoint connection, boolean pubrel,
                boolean ready) {
            this.message = message;
            this.inflight = inflight;
            this.connection = connection;
            this.pubrel = pubrel;
            this.ready = ready;
        }
    }

    /** The session this outbox belongs to: it decides whether its client may still receive a topic. */
    private final Session owner;

    Outbox(String clientId, MessageQueue queue, SessionServices services, Session owner) {
        this.owner = owner;
        this.clientId = clientId;
        this.queue = queue;
        this.services = services;
    }

    void deliver(QueuedMessage m, SessionEndpoint connection) {
        if (isExpired(m.message())) {
            expired(m);
            return;
        }
        if (connection == null) {
            if (m.qos() == 0 && !services.config().queueQos0()) {
                services.metrics().droppedOfflineQos0.increment();
                return;
            }
            enqueue(m);
            return;
        }
        if (m.qos() == 0) {
            transmit(m, null, connection, false);
        } else if (queue.waitingCount() == 0 && resendLater.isEmpty() && unacknowledged() < connection.sendQuota()) {
            sendInflight(m, connection);
        } else {
            enqueue(m);
        }
    }

    private void enqueue(QueuedMessage m) {
        var limits = services.config();
        if (queue.waitingCount() >= limits.maxQueuedMessages()
                || queue.waitingBytes() + m.message().weight() > limits.maxQueuedBytes()) {
            // Policy: when the queue is full the newest message is dropped (as Mosquitto does).
            services.metrics().droppedQueueFull.increment();
            LOG.debug("Client {}: queue full ({} messages, {} bytes), dropping message to '{}'", LogText.escape(clientId),
                    queue.waitingCount(), queue.waitingBytes(), LogText.escape(m.message().topic()));
            forget(m);
            return;
        }
        queue.append(m);
        services.metrics().queuedMessages.increment();
    }

    private void sendInflight(QueuedMessage m, SessionEndpoint connection) {
        int id = nextPacketId();
        InflightMessage inflight = new InflightMessage(id, m, false);
        queue.putInflight(inflight); // a free id: a new entry
        services.metrics().inflightMessages.increment();
        transmit(m, inflight, connection, m.stored() && m.qos() == 2);
    }

    /**
     * Sends a PUBLISH now, or holds it behind earlier ones that wait for storage. {@code storeFirst}:
     * a stored QoS 2 delivery whose packet id must be durable before the client can see it (see the
     * class comment).
     */
    private void transmit(QueuedMessage m, InflightMessage inflight, SessionEndpoint connection, boolean storeFirst) {
        if (!storeFirst && (held == null || held.isEmpty())) {
            sendNow(m, inflight, connection);
            return;
        }
        HeldSend h = new HeldSend(m, inflight, connection, false, !storeFirst);
        hold(h);
        if (storeFirst) {
            StorageBatch b = services.storage().batch();
            b.updateDelivery(clientId, m, inflight.packetId(), false);
            b.commit(owner::execute).whenComplete((v, e) -> {
                h.ready = true;
                releaseHeld();
            });
        }
    }

    private void hold(HeldSend h) {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.add(h);
    }

    /** Sends the held PUBLISHes and PUBRELs that no longer wait, in order. */
    private void releaseHeld() {
        HeldSend h;
        SessionEndpoint current = owner.connection();
        boolean sent = false;
        while (held != null && (h = held.peek()) != null && h.ready) {
            held.poll();
            // Sent on the connection it was meant for; after a reconnect, resume resends what is in flight.
            if (h.connection == current && (h.inflight == null || queue.inflight(h.inflight.packetId()) == h.inflight)) {
                if (h.pubrel) {
                    current.sendPubrel(h.inflight.packetId(), true);
                } else {
                    sendNow(h.message, h.inflight, current);
                }
                sent = true;
            }
        }
        if (sent) {
            current.flush();
        }
    }

    private void sendNow(QueuedMessage m, InflightMessage inflight, SessionEndpoint connection) {
        if (inflight == null) {
            connection.sendPublish(m, 0, false);
        } else {
            send(inflight, connection, false);
        }
    }

    private void send(InflightMessage m, SessionEndpoint connection, boolean dup) {
        if (!connection.sendPublish(m.message(), m.packetId(), dup)) {
            removeInflight(m.packetId()); // too large for the client: treated as delivered
            forget(m.message());
        }
    }

    /** A stored delivery is done with: removed from storage (nothing waits for it). */
    void forget(QueuedMessage m) {
        if (m.stored()) {
            StorageBatch b = services.storage().batch();
            b.removeDelivery(clientId, m);
            owner.commit(b);
        }
    }

    /** A delivery read back from storage at start-up, in its order. */
    void restore(StoredState.StoredDelivery d) {
        if (d.packetId() == 0) {
            queue.append(d.message());
            services.metrics().queuedMessages.increment();
            return;
        }
        if (queue.inflight(d.packetId()) == null) {
            services.metrics().inflightMessages.increment();
        }
        queue.putInflight(new InflightMessage(d.packetId(), d.message(), d.released()));
        lastPacketId = Math.max(lastPacketId, d.packetId());
    }

    /** [MQTT-2.2.1-3] a packet id is not reused while its exchange is in progress. */
    private int nextPacketId() {
        for (int i = 0; i < 65_535; i++) {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
            if (queue.inflight(lastPacketId) == null) {
                return lastPacketId;
            }
        }
        throw new IllegalStateException("no free packet identifier for " + clientId);
    }

    /** Takes a message out of flight (acknowledged, dropped, handed over), counted in the gauge. */
    private void removeInflight(int packetId) {
        if (queue.removeInflight(packetId) != null) {
            services.metrics().inflightMessages.decrement();
        }
    }

    /** QoS 1/2 messages sent on this connection and not yet acknowledged: what the send quota counts. */
    int unacknowledged() {
        return queue.inflightCount() - resendLater.size();
    }

    /** Resends held-back in-flight messages, then sends queued ones, while the client's Receive Maximum allows. */
    private void pump(SessionEndpoint connection) {
        while (connection != null && unacknowledged() < connection.sendQuota()) {
            if (!resendLater.isEmpty()) {
                Integer id = resendLater.iterator().next();
                resendLater.remove(id);
                resend(queue.inflight(id), connection);
                continue;
            }
            QueuedMessage m = queue.poll();
            if (m == null) {
                return;
            }
            services.metrics().queuedMessages.decrement();
            if (!owner.mayReceive(m.message())) {
                // Queued while it was allowed: rights taken away since stop it too.
                owner.notAuthorized(m);
                forget(m);
            } else if (isExpired(m.message())) {
                expired(m);
            } else if (m.qos() == 0) {
                transmit(m, null, connection, false);
            } else {
                sendInflight(m, connection);
            }
        }
    }

    /** After CONNACK on a resumed session: resend what is in flight ([MQTT-4.4.0-1]), then the queue. */
    void resume(SessionEndpoint connection) {
        resendLater = EMPTY;
        Map<Integer, HeldSend> storing = stillStoring(held);
        held = null; // held for an earlier connection: what is in flight is resent below
        List<InflightMessage> inflight = new ArrayList<>(queue.inflight());
        for (InflightMessage m : inflight) {
            HeldSend waiting = storing.get(m.packetId());
            if (waiting != null && waiting.inflight == m) {
                // A PUBLISH whose packet id, or a PUBREL whose PUBREC, is not yet durable: it goes on
                // the new connection once it is (the PUBLISH was never sent, so without DUP).
                waiting.connection = connection;
                hold(waiting);
            } else if (m.released()) {
                sendPubrel(m, connection); // counts against the quota until PUBCOMP
            } else {
                if (resendLater == EMPTY) {
                    resendLater = new LinkedHashSet<>();
                }
                resendLater.add(m.packetId());
            }
        }
        pump(connection);
    }

    /** The PUBLISHes and PUBRELs among {@code held} that wait for a write, by packet id. */
    private static Map<Integer, HeldSend> stillStoring(ArrayDeque<HeldSend> held) {
        if (held == null) {
            return Map.of();
        }
        Map<Integer, HeldSend> waiting = new HashMap<>();
        for (HeldSend h : held) {
            if (!h.ready && h.inflight != null) {
                waiting.put(h.inflight.packetId(), h);
            }
        }
        return waiting;
    }

    private void resend(InflightMessage m, SessionEndpoint connection) {
        if (m != null && !m.released()) {
            send(m, connection, true);
        }
    }

    void onPuback(int packetId, SessionEndpoint connection) {
        InflightMessage m = queue.inflight(packetId);
        if (m == null || m.message().qos() != 1) {
            LOG.debug("Client {}: PUBACK for unknown packet id {}", LogText.escape(clientId), packetId);
            return;
        }
        removeInflight(packetId);
        resendLater.remove(packetId);
        forget(m.message());
        pump(connection);
    }

    void onPubrec(int packetId, boolean error, SessionEndpoint connection) {
        InflightMessage m = queue.inflight(packetId);
        if (m == null || m.message().qos() != 2) {
            connection.sendPubrel(packetId, false);
            return;
        }
        resendLater.remove(packetId); // the client had it from an earlier connection
        if (error) {
            removeInflight(packetId);
            forget(m.message());
            pump(connection);
            return;
        }
        InflightMessage released = m.release();
        queue.putInflight(released); // replaces its entry: still in flight until PUBCOMP
        if (m.message().stored()) {
            // [MQTT-4.3.3-6] once PUBREL is sent the PUBLISH is not sent again, and the client, once it
            // has PUBREL, takes a PUBLISH with that id as a new message ([MQTT-4.3.3-12]). So the PUBREC
            // is durable first: a restart that lost it resends the PUBLISH to a client that still knows
            // the id, which answers PUBREC again without taking it twice ([MQTT-4.3.3-10]).
            StorageBatch b = services.storage().batch();
            b.updateDelivery(clientId, m.message(), packetId, true);
            CompletionStage<Void> durable = b.commit(owner::execute);
            if (!durable.toCompletableFuture().isDone()) {
                HeldSend h = new HeldSend(released.message(), released, connection, true, false);
                hold(h);
                durable.whenComplete((v, e) -> {
                    h.ready = true;
                    releaseHeld();
                });
                return;
            }
        }
        sendPubrel(released, connection);
    }

    /** Sends a PUBREL now, or after the PUBLISHes and PUBRELs held before it. */
    private void sendPubrel(InflightMessage released, SessionEndpoint connection) {
        if (held == null || held.isEmpty()) {
            connection.sendPubrel(released.packetId(), true);
        } else {
            hold(new HeldSend(released.message(), released, connection, true, true));
        }
    }

    void onPubcomp(int packetId, SessionEndpoint connection) {
        InflightMessage m = queue.inflight(packetId);
        if (m == null || !m.released()) {
            LOG.debug("Client {}: PUBCOMP for unknown packet id {}", LogText.escape(clientId), packetId);
            return;
        }
        removeInflight(packetId);
        forget(m.message());
        pump(connection);
    }

    /**
     * Hands the messages chosen for this session as a member of a shared group, and not yet received
     * by the client, to other members of their groups (section 4.8.2): called when the connection is
     * lost or the session ends. Of the messages in flight only QoS 1 ones go: a QoS 2 message once
     * sent is completed with this client when it reconnects [MQTT-4.8.2-4], and goes to no other
     * member if the session ends first [MQTT-4.8.2-5]. Messages still waiting were never sent and go
     * whatever their QoS. Messages whose group has no other member stay here.
     */
    void handOverShared() {
        for (InflightMessage m : new ArrayList<>(queue.inflight())) {
            if (m.message().sharedFilter() != null && m.message().qos() == 1
                    && services.router().redeliverShared(m.message(), clientId)) {
                removeInflight(m.packetId());
                resendLater.remove(m.packetId());
            }
        }
        int waiting = queue.waitingCount();
        for (int i = 0; i < waiting; i++) {
            QueuedMessage m = queue.poll();
            if (m.sharedFilter() == null || !services.router().redeliverShared(m, clientId)) {
                queue.append(m); // kept, in order
            } else {
                services.metrics().queuedMessages.decrement();
            }
        }
    }

    /** Expired now; the clock is read only for a message that expires (most do not: one read less per delivery). */
    private boolean isExpired(Message m) {
        return m.expires() && m.isExpired(services.clock().millis());
    }

    /**
     * A delivery that expired before it was sent ([MQTT-3.3.2-5]): dropped, counted, and, when it was
     * a request, its requester told by the broker.
     */
    private void expired(QueuedMessage m) {
        services.metrics().droppedExpired.increment();
        forget(m);
        services.requestHelp().expired(m.message());
    }

    /** Drops the expired messages waiting to be sent, keeping the order of the rest. */
    void dropExpired() {
        long now = services.clock().millis();
        int n = queue.waitingCount();
        for (int i = 0; i < n; i++) {
            QueuedMessage m = queue.poll();
            if (m.message().isExpired(now)) {
                services.metrics().queuedMessages.decrement();
                expired(m);
            } else {
                queue.append(m);
            }
        }
    }

    /** Drops everything queued and in flight (the session ended or started clean), in {@code batch} too. */
    void clear(StorageBatch batch) {
        services.metrics().queuedMessages.add(-queue.waitingCount());
        services.metrics().inflightMessages.add(-queue.inflightCount());
        for (InflightMessage m : queue.inflight()) {
            if (m.message().stored()) {
                batch.removeDelivery(clientId, m.message());
            }
        }
        QueuedMessage m;
        while ((m = queue.poll()) != null) {
            if (m.stored()) {
                batch.removeDelivery(clientId, m);
            }
        }
        queue.clear();
        resendLater = EMPTY;
    }
}
