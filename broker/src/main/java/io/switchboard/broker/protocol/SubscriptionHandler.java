package io.switchboard.broker.protocol;

import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.delivery.Message;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.Topics;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.storage.QueuedMessage;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SUBSCRIBE and UNSUBSCRIBE. */
final class SubscriptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionHandler.class);

    private SubscriptionHandler() {
    }

    static void onSubscribe(MqttConnection c, SubscribePacket p) {
        MqttConfig mqtt = c.broker.config().mqtt();
        Session session = c.session;
        List<Integer> ids = p.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        List<ReasonCode> codes = new ArrayList<>(p.subscriptions().size());
        List<QueuedMessage> retained = new ArrayList<>(0);
        long now = c.broker.clock().millis();
        for (TopicSubscription ts : p.subscriptions()) {
            String problem = Topics.checkFilter(ts.filter());
            if (problem != null) {
                LOG.info("Client {}: SUBSCRIBE refused: {}", c.clientId(), problem);
                codes.add(ReasonCode.TOPIC_FILTER_INVALID); // 3.1.1: written as 0x80
                continue;
            }
            if (Topics.isShared(ts.filter())) {
                codes.add(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
                continue;
            }
            int granted = Math.min(ts.maxQos(), mqtt.maxQos()); // the granted QoS may be lower than asked
            boolean existed = session.subscribe(new Subscription(session, ts.filter(), granted, ts.noLocal(),
                    ts.retainAsPublished(), ts.retainHandling(), subscriptionId));
            codes.add(ReasonCode.grantedQos(granted));
            // [MQTT-3.3.1-9] / [MQTT-3.3.1-10] / [MQTT-3.3.1-11] Retain Handling 0 sends the retained
            // messages, 1 only for a new subscription, 2 never.
            if (ts.retainHandling() == 0 || (ts.retainHandling() == 1 && !existed)) {
                List<Integer> subIds = subscriptionId == 0 ? List.of() : List.of(subscriptionId);
                for (Message m : c.broker.storage().retained().match(ts.filter(), now)) {
                    retained.add(new QueuedMessage(m, Math.min(m.qos(), granted), true, subIds));
                }
            }
        }
        // [MQTT-3.8.4-1] SUBACK with [MQTT-3.8.4-6] one reason code per filter, in order.
        c.send(new SubackPacket(p.packetId(), codes, c.ackReasonString(null)));
        for (QueuedMessage m : retained) {
            session.execute(() -> session.deliver(m));
        }
    }

    static void onUnsubscribe(MqttConnection c, UnsubscribePacket p) {
        List<ReasonCode> codes = new ArrayList<>(p.filters().size());
        for (String filter : p.filters()) {
            if (Topics.checkFilter(filter) != null) {
                codes.add(ReasonCode.TOPIC_FILTER_INVALID);
            } else {
                // [MQTT-3.10.4-1] the subscription is deleted; 0x11 when there was none.
                codes.add(c.session.unsubscribe(filter) ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
        }
        // [MQTT-3.10.4-4] / [MQTT-3.10.4-5] UNSUBACK even if nothing was deleted.
        c.send(new UnsubackPacket(p.packetId(), codes, c.ackReasonString(null)));
    }
}
