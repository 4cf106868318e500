package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.Topics;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.storage.RetainedStore;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SUBSCRIBE and UNSUBSCRIBE. One per broker; runs on the connection's event loop. */
final class SubscriptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionHandler.class);

    private final MqttConfig mqtt;
    private final RetainedStore retained;
    private final Authorizer authorizer;
    private final Clock clock;

    SubscriptionHandler(MqttConfig mqtt, RetainedStore retained, Authorizer authorizer, Clock clock) {
        this.mqtt = mqtt;
        this.retained = retained;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    void onSubscribe(MqttConnection c, SubscribePacket p) {
        List<Integer> ids = p.properties().subscriptionIdentifiers();
        if (!ids.isEmpty() && !mqtt.subscriptionIdentifiersAvailable()) {
            // Section 3.2.2.3.12: with Subscription Identifier Available 0 in CONNACK, a SUBSCRIBE carrying one gets 0xA1.
            c.close(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    "Subscription Identifiers are not supported by this broker (CONNACK said so)");
            return;
        }
        List<TopicSubscription> filters = p.subscriptions();
        ReasonCode[] codes = new ReasonCode[filters.size()];
        List<CompletableFuture<Boolean>> decisions = new ArrayList<>(filters.size());
        boolean pending = false;
        for (int i = 0; i < filters.size(); i++) {
            TopicSubscription ts = filters.get(i);
            String refusal = null;
            String problem = Topics.checkFilter(ts.filter());
            boolean shared = problem == null && Topics.isShared(ts.filter());
            if (shared && problem == null) {
                problem = Topics.checkShared(ts.filter());
            }
            if (problem != null) {
                codes[i] = ReasonCode.TOPIC_FILTER_INVALID; // 3.1.1: written as 0x80
                refusal = problem;
            } else if (shared && ts.noLocal()) {
                // [MQTT-3.8.3-4] No Local on a Shared Subscription is a Protocol Error.
                c.close(ReasonCode.PROTOCOL_ERROR, "No Local is set on the shared subscription '" + ts.filter() + "'");
                return;
            } else if (shared && !mqtt.sharedSubscriptionAvailable()) {
                codes[i] = ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED; // section 3.2.2.3.13: 0x9E
                refusal = "shared subscriptions are disabled on this broker";
            } else if (!mqtt.wildcardSubscriptionAvailable() && Topics.hasWildcard(Topics.topicFilter(ts.filter()))) {
                codes[i] = ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED; // section 3.2.2.3.11: 0xA2
                refusal = "wildcard subscriptions are disabled on this broker";
            } else if (mqtt.responseInformation()
                    && (refusal = ResponseTopics.checkSubscribe(ts.filter(), c.clientId())) != null) {
                codes[i] = ReasonCode.NOT_AUTHORIZED;
            }
            if (refusal != null) {
                LOG.debug("Client {}: SUBSCRIBE to '{}' refused: {}", LogText.escape(c.clientId()),
                        LogText.escape(ts.filter()), LogText.escape(refusal));
                decisions.add(null);
                continue;
            }
            CompletableFuture<Boolean> d = authorizer == Authorizer.ALLOW_ALL ? null
                    : authorizer.maySubscribe(c.identity, ts.filter(), ts.maxQos()).toCompletableFuture();
            pending |= d != null && !d.isDone();
            decisions.add(d);
        }
        if (!pending) {
            apply(c, p, codes, decisions);
            return;
        }
        c.awaitDecision();
        var loop = c.eventLoop();
        CompletableFuture.allOf(decisions.stream().filter(d -> d != null).toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> loop.execute(() -> {
                    if (c.state == MqttConnection.State.CONNECTED) {
                        apply(c, p, codes, decisions);
                        c.decided();
                    }
                }));
    }

    /** Subscribes what was allowed, in order, and answers with SUBACK and the retained messages. */
    private void apply(MqttConnection c, SubscribePacket p, ReasonCode[] codes, List<CompletableFuture<Boolean>> decisions) {
        Session session = c.session;
        List<Integer> ids = p.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        List<QueuedMessage> retainedToSend = new ArrayList<>(0);
        long now = clock.millis();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != null) {
                continue;
            }
            TopicSubscription ts = p.subscriptions().get(i);
            CompletableFuture<Boolean> d = decisions.get(i);
            if (d != null && !(d.isDone() && !d.isCompletedExceptionally() && Boolean.TRUE.equals(d.join()))) {
                codes[i] = ReasonCode.NOT_AUTHORIZED; // 3.1.1: written as 0x80
                continue;
            }
            int granted = Math.min(ts.maxQos(), mqtt.maxQos()); // the granted QoS may be lower than asked
            boolean existed = session.subscribe(new Subscription(c.clientId(), ts.filter(), granted, ts.noLocal(),
                    ts.retainAsPublished(), ts.retainHandling(), subscriptionId));
            codes[i] = ReasonCode.grantedQos(granted);
            // [MQTT-3.3.1-9] / [MQTT-3.3.1-10] / [MQTT-3.3.1-11] Retain Handling 0 sends the retained
            // messages, 1 only for a new subscription, 2 never. Section 4.8.2: none for a shared subscription.
            if (!Topics.isShared(ts.filter()) && (ts.retainHandling() == 0 || (ts.retainHandling() == 1 && !existed))) {
                List<Integer> subIds = subscriptionId == 0 ? List.of() : List.of(subscriptionId);
                for (Message m : retained.match(ts.filter(), now)) {
                    retainedToSend.add(new QueuedMessage(m, Math.min(m.qos(), granted), true, subIds));
                }
            }
        }
        // [MQTT-3.8.4-1] SUBACK with [MQTT-3.8.4-6] one reason code per filter, in order.
        c.send(new SubackPacket(p.packetId(), Arrays.asList(codes), c.ackReasonString(null)));
        for (QueuedMessage m : retainedToSend) {
            session.deliver(m);
        }
    }

    void onUnsubscribe(MqttConnection c, UnsubscribePacket p) {
        List<ReasonCode> codes = new ArrayList<>(p.filters().size());
        for (String filter : p.filters()) {
            if (Topics.checkFilter(filter) != null || (Topics.isShared(filter) && Topics.checkShared(filter) != null)) {
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
