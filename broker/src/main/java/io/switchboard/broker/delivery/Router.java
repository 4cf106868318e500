package io.switchboard.broker.delivery;

import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.routing.SharedGroup;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.storage.RetainedStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes a published message: updates the retained store, matches subscriptions, chooses one
 * member per matching shared group, and hands one delivery per subscriber to that subscriber's
 * event loop. Callable from any event loop; holds no lock; the message and its payload are shared,
 * never copied.
 */
public final class Router {
    private final SubscriptionTree subscriptions;
    private final RetainedStore retained;
    private final Subscribers subscribers;
    private final SharedSubscriptionStrategy strategy;

    public Router(SubscriptionTree subscriptions, RetainedStore retained, Subscribers subscribers,
            SharedSubscriptionStrategy strategy) {
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.subscribers = subscribers;
        this.strategy = strategy;
    }

    /** Publishes a message; returns the number of deliveries made. */
    public int publish(Message m) {
        return publish(m, null);
    }

    /**
     * Publishes a message; returns the number of deliveries made. {@code congested}, when not null,
     * is told of each subscriber reached that is not keeping up, so that the publisher can wait.
     */
    public int publish(Message m, CongestionListener congested) {
        if (m.retain()) {
            if (m.payload().isEmpty()) {
                // [MQTT-3.3.1-6] / [MQTT-3.3.1-7] an empty retained message deletes the topic's retained message.
                retained.remove(m.topic());
            } else {
                // [MQTT-3.3.1-5] the message replaces any retained message of its topic.
                retained.put(m);
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
        int delivered = 0;
        for (Map.Entry<String, Target> e : targets.entrySet()) {
            Subscriber s = subscribers.find(e.getKey());
            if (s == null) {
                continue; // the session ended while the message was being routed
            }
            Target t = e.getValue();
            // [MQTT-3.3.4-2] one delivery per session, at the highest QoS among its matching subscriptions,
            // [MQTT-3.3.4-3] with all their Subscription Identifiers; [MQTT-3.8.4-8] QoS downgraded
            // to the granted QoS. [MQTT-3.3.1-12] RETAIN is kept only for Retain As Published.
            hand(s, new QueuedMessage(m, Math.min(m.qos(), t.qos), m.retain() && t.retainAsPublished,
                    t.subscriptionIds), congested);
            delivered++;
        }
        for (SharedGroup g : groups) {
            // Section 4.8.2: each message matching a shared subscription goes to one member of the group.
            if (deliverShared(m, g, congested)) {
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
        c.subscriber().deliver(shared(q.message(), c.subscription(), g));
        return true;
    }

    private boolean deliverShared(Message m, SharedGroup g, CongestionListener congested) {
        SharedSubscriptionStrategy.Choice c = strategy.choose(g, subscribers, null);
        if (c == null) {
            return false;
        }
        hand(c.subscriber(), shared(m, c.subscription(), g), congested);
        return true;
    }

    private static QueuedMessage shared(Message m, Subscription s, SharedGroup g) {
        List<Integer> ids = s.subscriptionId() == 0 ? List.of() : List.of(s.subscriptionId());
        return new QueuedMessage(m, Math.min(m.qos(), s.qos()), m.retain() && s.retainAsPublished(), ids,
                g.sharedFilter());
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
