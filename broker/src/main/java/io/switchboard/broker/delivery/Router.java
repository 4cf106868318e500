package io.switchboard.broker.delivery;

import io.switchboard.broker.BrokerContext;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.storage.QueuedMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes a published message: updates the retained store, matches subscriptions and hands one
 * delivery per matching session to that session's event loop. Callable from any event loop; holds
 * no lock; the message and its payload are shared, never copied.
 */
public final class Router {
    private final BrokerContext broker;

    public Router(BrokerContext broker) {
        this.broker = broker;
    }

    /** Publishes a message; returns the number of sessions it was delivered to. */
    public int publish(Message m) {
        if (m.retain()) {
            if (m.payload().isEmpty()) {
                // [MQTT-3.3.1-6] / [MQTT-3.3.1-7] an empty retained message deletes the topic's retained message.
                broker.storage().retained().remove(m.topic());
            } else {
                // [MQTT-3.3.1-5] the message replaces any retained message of its topic.
                broker.storage().retained().put(m);
            }
        }
        Map<Session, Target> targets = new HashMap<>(4);
        broker.subscriptions().match(m.topic(), sub -> {
            if (sub.noLocal() && sub.session().clientId().equals(m.publisherId())) {
                return; // [MQTT-3.8.3-3] No Local: not sent back to the publisher's own connection.
            }
            targets.computeIfAbsent(sub.session(), s -> new Target()).add(sub);
        });
        targets.forEach((session, target) -> {
            // [MQTT-3.3.4-2] one delivery per session, at the highest QoS among its matching subscriptions,
            // [MQTT-3.3.4-3] with all their Subscription Identifiers; [MQTT-3.8.4-8] QoS downgraded
            // to the granted QoS. [MQTT-3.3.1-12] RETAIN is kept only for Retain As Published.
            QueuedMessage q = new QueuedMessage(m, Math.min(m.qos(), target.qos),
                    m.retain() && target.retainAsPublished, target.subscriptionIds);
            session.execute(() -> session.deliver(q));
        });
        return targets.size();
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
