package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.Topics;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.storage.RetainedIndex;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StorageException;
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
    private final RetainedIndex retained;
    private final Authorizer authorizer;
    private final DenialAudit audit;
    private final Clock clock;

    SubscriptionHandler(MqttConfig mqtt, RetainedIndex retained, Authorizer authorizer, DenialAudit audit,
            Clock clock) {
        this.mqtt = mqtt;
        this.retained = retained;
        this.authorizer = authorizer;
        this.audit = audit;
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
                // Section 3.2.2.3.13: Shared Subscription Available 0.
                if (switchedOff(c, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "shared subscriptions", ts)) {
                    return;
                }
                codes[i] = ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED; // 3.1.1: written as 0x80
                refusal = "shared subscriptions are disabled on this broker";
            } else if (!mqtt.wildcardSubscriptionAvailable() && Topics.hasWildcard(Topics.topicFilter(ts.filter()))) {
                // Section 3.2.2.3.11: Wildcard Subscription Available 0.
                if (switchedOff(c, ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, "wildcard subscriptions", ts)) {
                    return;
                }
                codes[i] = ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED; // 3.1.1: written as 0x80
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
                        c.applyDecision(() -> {
                            apply(c, p, codes, decisions);
                            c.decided();
                        });
                    }
                }));
    }

    /**
     * A filter that needs a feature switched off: a 5.0 client was told so in CONNACK, so it is a
     * Protocol Error answered with DISCONNECT {@code code} (true: closed); a 3.1.1 client was never
     * told and gets SUBACK 0x80 for that filter (false).
     */
    private static boolean switchedOff(MqttConnection c, ReasonCode code, String feature, TopicSubscription ts) {
        if (!c.version.isV5()) {
            return false;
        }
        c.close(code, feature + " are disabled on this broker (CONNACK said so): '" + ts.filter() + "'");
        return true;
    }

    /** Subscribes what was allowed, in order, and answers with SUBACK and the retained messages. */
    private void apply(MqttConnection c, SubscribePacket p, ReasonCode[] codes, List<CompletableFuture<Boolean>> decisions) {
        Session session = c.session;
        List<Integer> ids = p.properties().subscriptionIdentifiers();
        int subscriptionId = ids.isEmpty() ? 0 : ids.get(0);
        List<QueuedMessage> retainedToSend = new ArrayList<>(0);
        List<String> added = new ArrayList<>(0);
        StorageBatch batch = session.ackBatch();
        long now = clock.millis();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != null) {
                continue;
            }
            TopicSubscription ts = p.subscriptions().get(i);
            CompletableFuture<Boolean> d = decisions.get(i);
            if (d != null && !(d.isDone() && !d.isCompletedExceptionally() && Boolean.TRUE.equals(d.join()))) {
                // Only this filter is refused; the others of the SUBSCRIBE are decided on their own.
                codes[i] = ReasonCode.NOT_AUTHORIZED; // 3.1.1: written as 0x80
                audit.denied(c.clientId(), c.identity, "subscribe", ts.filter(), ReasonCode.NOT_AUTHORIZED);
                continue;
            }
            int granted = Math.min(ts.maxQos(), mqtt.maxQos()); // the granted QoS may be lower than asked
            boolean existed = session.subscribe(new Subscription(c.clientId(), ts.filter(), granted, ts.noLocal(),
                    ts.retainAsPublished(), ts.retainHandling(), subscriptionId), batch);
            if (!existed) {
                added.add(ts.filter());
            }
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
        if (batch == null || batch.isEmpty()) {
            suback(c, p, codes, retainedToSend, true);
            return;
        }
        // The subscriptions are acknowledged once durable; if they cannot be stored, they are
        // refused (0x97 when the disk is full) and the new ones are taken back.
        c.acks().whenDurable(batch.commit(c.eventLoop()), error -> {
            if (error == null) {
                suback(c, p, codes, retainedToSend, false);
                return;
            }
            StorageException e = StorageException.of(error);
            for (String filter : added) {
                session.unsubscribe(filter, null);
            }
            ReasonCode refused = e.quotaExceeded() ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.UNSPECIFIED_ERROR;
            for (int i = 0; i < codes.length; i++) {
                if (codes[i].value() < 0x80) {
                    codes[i] = refused; // 3.1.1: written as 0x80
                }
            }
            c.send(new SubackPacket(p.packetId(), Arrays.asList(codes),
                    c.ackReasonString("the subscriptions could not be stored: " + e.getMessage())));
        });
    }

    /** [MQTT-3.8.4-1] SUBACK with [MQTT-3.8.4-6] one reason code per filter, in order; then the retained messages. */
    private static void suback(MqttConnection c, SubscribePacket p, ReasonCode[] codes, List<QueuedMessage> retained,
            boolean inOrder) {
        StringBuilder denied = null;
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == ReasonCode.NOT_AUTHORIZED) {
                denied = denied == null ? new StringBuilder("not authorized to subscribe to ") : denied.append(", ");
                denied.append('\'').append(p.subscriptions().get(i).filter()).append('\'');
            }
        }
        SubackPacket ack = new SubackPacket(p.packetId(), Arrays.asList(codes),
                c.ackReasonString(denied == null ? null : denied.toString()));
        if (inOrder) {
            c.sendAck(ack);
        } else {
            c.send(ack);
        }
        for (QueuedMessage m : retained) {
            c.session.deliver(m);
        }
    }

    void onUnsubscribe(MqttConnection c, UnsubscribePacket p) {
        List<ReasonCode> codes = new ArrayList<>(p.filters().size());
        StorageBatch batch = c.session.ackBatch();
        for (String filter : p.filters()) {
            if (Topics.checkFilter(filter) != null || (Topics.isShared(filter) && Topics.checkShared(filter) != null)) {
                codes.add(ReasonCode.TOPIC_FILTER_INVALID);
            } else {
                // [MQTT-3.10.4-1] the subscription is deleted; 0x11 when there was none.
                codes.add(c.session.unsubscribe(filter, batch) ? ReasonCode.SUCCESS
                        : ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
        }
        // [MQTT-3.10.4-4] / [MQTT-3.10.4-5] UNSUBACK even if nothing was deleted.
        UnsubackPacket ack = new UnsubackPacket(p.packetId(), codes, c.ackReasonString(null));
        if (batch == null || batch.isEmpty()) {
            c.sendAck(ack);
        } else {
            // Once durable, so that a subscription the client was told is gone does not come back
            // after a restart; it is gone from memory already, so a failure changes nothing here.
            c.acks().whenDurable(batch.commit(c.eventLoop()), error -> c.send(ack));
        }
    }
}
