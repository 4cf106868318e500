package io.switchboard.broker.delivery;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.SharedGroup;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.routing.Topics;
import io.switchboard.broker.storage.RetainedIndex;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Routes a published message: updates the retained store, matches subscriptions, chooses one
 * member per matching shared group, and hands one delivery per subscriber to that subscriber's
 * event loop. Callable from any event loop; holds no lock; the message and its payload are shared,
 * never copied.
 *
 * <p>With durable storage, the routing of a message is recorded in the publisher's batch (the
 * retained change, and one delivery per session that outlives its connection, the message itself
 * stored once) and the batch is committed before any delivery is handed over, so that whatever a
 * subscriber's session writes about a delivery comes after it.
 */
public final class Router {
    private final SubscriptionTree subscriptions;
    private final RetainedIndex retained;
    private final Subscribers subscribers;
    private final SharedSubscriptionStrategy strategy;
    private final Storage storage;
    /** Counts the deliveries handed over ({@link BrokerMetrics#deliveries}), once per message routed. */
    private final LongAdder deliveries;

    public Router(SubscriptionTree subscriptions, RetainedIndex retained, Subscribers subscribers,
            SharedSubscriptionStrategy strategy, Storage storage, BrokerMetrics metrics) {
        this.deliveries = metrics.deliveries;
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.subscribers = subscribers;
        this.strategy = strategy;
        this.storage = storage;
    }

    /** Publishes a message (the broker's own: a Will, $SYS); returns the number of deliveries made. */
    public int publish(Message m) {
        StorageBatch batch = storage.batch();
        return publish(m, null, batch, null); // nothing to acknowledge: the storage logs a failure
    }

    /**
     * Publishes a message; returns the number of deliveries made. {@code congested}, when not null,
     * is told of each subscriber reached that is not keeping up, so that the publisher can wait.
     * What is stored goes into {@code batch}, after what the caller put there, and the batch is
     * committed (its stage completing on {@code completeOn}; submitted without one when it is null)
     * before any delivery is handed over,
     * so that whatever a subscriber's session writes about a delivery comes after it. The caller
     * gets the stage by committing again.
     */
    public int publish(Message m, CongestionListener congested, StorageBatch batch, Executor completeOn) {
        boolean durable = storage.durable();
        if (m.retain()) {
            if (m.payload().isEmpty()) {
                // [MQTT-3.3.1-6] / [MQTT-3.3.1-7] an empty retained message deletes the topic's retained message.
                retained.remove(m.topic());
                if (durable) {
                    batch.deleteRetained(m.topic());
                }
            } else {
                // [MQTT-3.3.1-5] the message replaces any retained message of its topic.
                retained.put(m);
                if (durable && !m.topic().startsWith(Topics.SYS_PREFIX)) { // $SYS is published again at start
                    batch.putRetained(m);
                }
            }
        }
        Map<String, Target> targets = new HashMap<>(4);
        List<SharedGroup> groups = new ArrayList<>(0);
        subscriptions.match(m.topic(), sub -> {
            if (sub.noLocal() && sub.clientId().equals(m.publisherId())) {
                return; // [MQTT-3.8.3-3] No Local: not sent back to the publisher's own connection.
            }
            targets.computeIfAbsent(sub.clientId(), s -> new Target()).add(sub);
        }, groups::add);
        if (!durable) {
            return counted(handOut(m, targets, groups, congested));
        }
        if (targets.isEmpty() && groups.isEmpty()) {
            commit(batch, completeOn);
            return 0;
        }
        // Choose every delivery first, record the stored ones, then hand them over.
        int n = targets.size() + groups.size();
        Subscriber[] to = new Subscriber[n];
        QueuedMessage[] what = new QueuedMessage[n];
        int delivered = 0;
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            Subscriber s = subscribers.find(e.getKey());
            if (s != null) {
                QueuedMessage q = e.getValue().delivery(m, s.persistent());
                if (q.stored()) {
                    batch.addDelivery(e.getKey(), q);
                }
                to[delivered] = s;
                what[delivered++] = q;
            }
        }
        for (SharedGroup g : groups) {
            SharedSubscriptionStrategy.Choice c = strategy.choose(g, subscribers, null);
            if (c != null) {
                QueuedMessage q = shared(m, c.subscription(), g, c.subscriber().persistent());
                if (q.stored()) {
                    batch.addDelivery(c.subscription().clientId(), q);
                }
                to[delivered] = c.subscriber();
                what[delivered++] = q;
            }
        }
        commit(batch, completeOn);
        for (int i = 0; i < delivered; i++) {
            hand(to[i], what[i], congested);
        }
        return counted(delivered);
    }

    /** Counts the deliveries of one message, in one addition. */
    private int counted(int delivered) {
        if (delivered != 0) {
            deliveries.add(delivered);
        }
        return delivered;
    }

    private static void commit(StorageBatch batch, Executor completeOn) {
        if (completeOn == null) {
            batch.submit();
        } else {
            batch.commit(completeOn);
        }
    }

    /** Without durable storage: each delivery is handed over as it is chosen. */
    private int handOut(Message m, Map<String, Target> targets, List<SharedGroup> groups, CongestionListener congested) {
        int delivered = 0;
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            Subscriber s = subscribers.find(e.getKey());
            if (s == null) {
                continue; // the session ended while the message was being routed
            }
            hand(s, e.getValue().delivery(m, false), congested);
            delivered++;
        }
        for (SharedGroup g : groups) {
            // Section 4.8.2: each message matching a shared subscription goes to one member of the group.
            SharedSubscriptionStrategy.Choice c = strategy.choose(g, subscribers, null);
            if (c != null) {
                hand(c.subscriber(), shared(m, c.subscription(), g, false), congested);
                delivered++;
            }
        }
        return delivered;
    }

    /**
     * Hands a shared-subscription message that a member left unacknowledged (it disconnected or its
     * session ended) to another member of its group. Returns false when the group has no other
     * member with a session, so the caller keeps it.
     */
    public boolean redeliverShared(QueuedMessage q, String fromClientId) {
        SharedGroup g = subscriptions.group(q.sharedFilter());
        if (g == null) {
            return false;
        }
        SharedSubscriptionStrategy.Choice c = strategy.choose(g, subscribers, fromClientId);
        if (c == null || c.subscription().clientId().equals(fromClientId)) {
            return false;
        }
        QueuedMessage next = shared(q.message(), c.subscription(), g, storage.durable() && c.subscriber().persistent());
        if (next.stored() || q.stored()) {
            StorageBatch batch = storage.batch();
            if (next.stored()) {
                batch.addDelivery(c.subscription().clientId(), next); // first, so the message stays stored
            }
            if (q.stored()) {
                batch.removeDelivery(fromClientId, q);
            }
            batch.submit(); // before the new member can write about it
        }
        c.subscriber().deliver(next);
        return true;
    }

    /** A delivery to the chosen member of a shared group; stored when that member's session is persistent. */
    private static QueuedMessage shared(Message m, Subscription s, SharedGroup g, boolean persistent) {
        List<Integer> ids = s.subscriptionId() == 0 ? List.of() : List.of(s.subscriptionId());
        int qos = Math.min(m.qos(), s.qos());
        return new QueuedMessage(m, qos, m.retain() && s.retainAsPublished(), ids, g.sharedFilter(),
                persistent && qos > 0);
    }

    private static void hand(Subscriber s, QueuedMessage q, CongestionListener congested) {
        s.deliver(q);
        if (congested != null && s.congested()) {
            congested.congested(s);
        }
    }

    private static final class Target {
        int qos;
        boolean retainAsPublished;
        List<Integer> subscriptionIds = List.of();

        /**
         * [MQTT-3.3.4-2] one delivery per session, at the highest QoS among its matching subscriptions,
         * [MQTT-3.3.4-3] with all their Subscription Identifiers; [MQTT-3.8.4-8] QoS downgraded to the
         * granted QoS. [MQTT-3.3.1-12] RETAIN is kept only for Retain As Published.
         */
        QueuedMessage delivery(Message m, boolean persistent) {
            int q = Math.min(m.qos(), qos);
            return new QueuedMessage(m, q, m.retain() && retainAsPublished, subscriptionIds, null, persistent && q > 0);
        }

        void add(Subscription s) {
            qos = Math.max(qos, s.qos());
            retainAsPublished |= s.retainAsPublished();
            if (s.subscriptionId() != 0) {
                if (subscriptionIds.isEmpty()) {
                    subscriptionIds = new ArrayList<>(2);
                }
                subscriptionIds.add(s.subscriptionId());
            }
        }
    }
}
