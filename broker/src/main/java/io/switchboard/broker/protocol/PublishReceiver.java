package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.broker.delivery.RequestHelp;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.Topics;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.StorageBatch;
import io.switchboard.broker.storage.StorageException;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.wire.MqttStrings;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** PUBLISH from a client (admission, authorization, routing, acknowledgement) and PUBREL. One per broker. */
final class PublishReceiver {
    /** Topics under this prefix are the broker's own. */
    static final String SYS_PREFIX = Topics.SYS_PREFIX;

    private final MqttConfig mqtt;
    private final Router router;
    private final Authorizer authorizer;
    private final DenialAudit audit;
    /** security.deniedPublishV311: a denied 3.1.1 PUBLISH disconnects (true) or is dropped. */
    private final boolean disconnectDeniedV311;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final Storage storage;
    private final RequestHelp help;

    PublishReceiver(BrokerConfig config, Router router, Authorizer authorizer, DenialAudit audit,
            BrokerMetrics metrics, Clock clock, Storage storage, RequestHelp help, PublishTap.Holder tap) {
        this.tap = tap;
        this.storage = storage;
        this.help = help;
        this.mqtt = config.mqtt();
        this.audit = audit;
        this.disconnectDeniedV311 = config.security().disconnectOnDeniedPublishV311();
        this.router = router;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The rules engine's view of what clients publish (PublishTap.NONE without one). */
    private final PublishTap.Holder tap;

    void onPublish(MqttConnection c, PublishPacket p) {
        // Once per PUBLISH, whatever the number of subscribers: the start of its publish-to-delivery latency.
        long receivedNanos = System.nanoTime();
        boolean v5 = c.version.isV5();
        Properties props = p.properties();
        String topic;
        try {
            topic = v5 ? c.topicAliases.resolve(p.topic(), props.topicAlias()) : p.topic();
        } catch (TopicAliases.AliasException e) {
            c.close(e.reasonCode, e.getMessage());
            return;
        }
        if (v5 && topic.isEmpty()) {
            // Section 3.3.2.1: a zero length Topic Name without a Topic Alias is a Protocol Error (0x82).
            c.close(ReasonCode.PROTOCOL_ERROR, "the topic name is empty and the PUBLISH carries no Topic Alias");
            return;
        }
        String problem = Topics.checkName(topic);
        if (problem != null) {
            c.close(ReasonCode.TOPIC_NAME_INVALID, problem); // [MQTT-3.3.2-2] / [MQTT-4.7.3-1]
            return;
        }
        if (p.qos() > mqtt.maxQos()) {
            // [MQTT-3.2.2-11] a PUBLISH above the Maximum QoS is a DISCONNECT 0x9B.
            c.close(ReasonCode.QOS_NOT_SUPPORTED, "QoS " + p.qos() + " is above the maximum QoS " + mqtt.maxQos());
            return;
        }
        if (p.retain() && !mqtt.retainAvailable()) {
            // [MQTT-3.2.2-14] RETAIN when retain is not available is a DISCONNECT 0x9A.
            c.close(ReasonCode.RETAIN_NOT_SUPPORTED, "retained messages are disabled on this broker");
            return;
        }
        if (v5 && !props.subscriptionIdentifiers().isEmpty()) {
            // [MQTT-3.3.4-6] a PUBLISH from a client MUST NOT contain a Subscription Identifier.
            c.close(ReasonCode.PROTOCOL_ERROR, "a PUBLISH from a client must not carry a Subscription Identifier");
            return;
        }
        if (props.responseTopic() != null && Topics.checkName(props.responseTopic()) != null) {
            // [MQTT-3.3.2-14] the Response Topic MUST NOT contain wildcards.
            c.close(ReasonCode.PROTOCOL_ERROR, "Response Topic: " + Topics.checkName(props.responseTopic()));
            return;
        }
        Integer format = props.payloadFormatIndicator();
        if (format != null && format == 1 && !MqttStrings.isWellFormedUtf8(p.payload().unsafeBytes())) {
            // Section 3.3.2.3.2: a payload marked UTF-8 that is not gets 0x99 Payload format invalid.
            String reason = "the payload is marked UTF-8 (Payload Format Indicator 1) but is not well-formed UTF-8";
            if (p.qos() == 0) {
                c.close(ReasonCode.PAYLOAD_FORMAT_INVALID, reason);
            } else {
                acknowledge(c, p, ReasonCode.PAYLOAD_FORMAT_INVALID, reason);
            }
            return;
        }
        Session session = c.session;
        if (p.qos() == 2) {
            if (session.awaitingPubrel(p.packetId())) {
                // [MQTT-4.3.3-9] a resent QoS 2 PUBLISH before PUBREL is not delivered again.
                StorageBatch batch = session.ackBatch();
                if (batch == null) {
                    c.sendAck(new PubrecPacket(p.packetId()));
                } else {
                    // The first copy's write may still be on its way (the client reconnected meanwhile):
                    // writing the id again completes after it, so PUBREC still means "stored".
                    session.addPendingPubrel(p.packetId(), batch);
                    acknowledgeWhenDurable(c, p, batch.commit(c.eventLoop()), ReasonCode.SUCCESS);
                }
                return;
            }
            if (session.pendingPubrelCount() >= mqtt.receiveMaximum()) {
                // [MQTT-3.3.4-9] more unacknowledged QoS 2 PUBLISHes than the Receive Maximum: 0x93.
                c.close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more than " + mqtt.receiveMaximum()
                        + " QoS 2 messages awaiting PUBREL (the Receive Maximum in CONNACK)");
                return;
            }
        }
        if (topic.startsWith(SYS_PREFIX)) {
            deny(c, p, "topics under $SYS/ are published by the broker only");
            return;
        }
        if (authorizer == Authorizer.ALLOW_ALL) {
            route(c, p, topic, receivedNanos);
            return;
        }
        CompletionStage<Boolean> decision = authorizer.mayPublish(c.identity, topic, p.qos(), p.retain(), props);
        CompletableFuture<Boolean> f = decision.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            decide(c, p, topic, f.join(), receivedNanos);
            return;
        }
        // Asynchronous: hold what the client sends next, so that messages keep their order.
        c.awaitDecision();
        var loop = c.eventLoop();
        decision.whenComplete((allowed, error) -> loop.execute(() -> {
            if (c.state != MqttConnection.State.CONNECTED) {
                return;
            }
            c.applyDecision(() -> {
                decide(c, p, topic, error == null && Boolean.TRUE.equals(allowed), receivedNanos);
                c.decided();
            });
        }));
    }

    private void decide(MqttConnection c, PublishPacket p, String topic, boolean allowed, long receivedNanos) {
        if (allowed) {
            route(c, p, topic, receivedNanos);
            return;
        }
        audit.denied(c.clientId(), c.identity, "publish", topic, ReasonCode.NOT_AUTHORIZED);
        String reason = "not authorized to publish to '" + topic + "'";
        if (!c.version.isV5() && disconnectDeniedV311) {
            // 3.1.1 has no way to refuse one PUBLISH: with security.deniedPublishV311 disconnect (the
            // default, as AWS IoT) the connection closes, so a client cannot believe a refused
            // message was delivered; the message is not delivered either way.
            metrics.publishDenied.increment();
            c.close(ReasonCode.NOT_AUTHORIZED, reason);
            return;
        }
        deny(c, p, reason);
    }

    /**
     * A PUBLISH the client may not make: 5.0 acknowledges it with 0x87 (Not authorized) and a reason
     * string, the connection staying open; 3.1.1 has no such code, so it is acknowledged and dropped.
     * QoS 0 is dropped. Counted either way.
     */
    private void deny(MqttConnection c, PublishPacket p, String reason) {
        metrics.publishDenied.increment();
        if (p.qos() == 0) {
            return;
        }
        if (c.version.isV5()) {
            acknowledge(c, p, ReasonCode.NOT_AUTHORIZED, reason);
            return;
        }
        StorageBatch batch = c.session.ackBatch();
        if (p.qos() == 2) {
            c.session.addPendingPubrel(p.packetId(), batch);
        }
        if (batch == null) {
            acknowledge(c, p, ReasonCode.SUCCESS, null);
        } else {
            acknowledgeWhenDurable(c, p, batch.commit(c.eventLoop()), ReasonCode.SUCCESS);
        }
    }

    /**
     * Routes the message, then acknowledges it once what routing stored (deliveries to sessions that
     * outlive their connection, the retained change, the QoS 2 packet id) is durable: what the
     * broker acknowledged survives a restart.
     */
    private void route(MqttConnection c, PublishPacket p, String topic, long receivedNanos) {
        metrics.messagesReceived.increment(p.qos());
        metrics.payloadBytesReceived.add(p.qos(), p.payload().size());
        // The wall clock only for a message that expires (the time it was received is receivedNanos).
        long nowMillis = p.properties().messageExpiryInterval() == null ? 0 : clock.millis();
        Message message = Message.fromPublish(p, topic, c.clientId(), nowMillis, receivedNanos);
        StorageBatch batch = storage.batch();
        if (p.qos() == 2) {
            c.session.addPendingPubrel(p.packetId(), batch);
        }
        int matched = router.publish(message, c, batch, c.eventLoop());
        help.published(message, matched);
        PublishTap t = tap.get();
        if (t != PublishTap.NONE) {
            t.published(message, c.clientId(), c.identity, c.tapMemo());
        }
        if (p.qos() > 0) {
            ReasonCode rc = matched == 0 && c.version.isV5() ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
            if (!storage.durable()) {
                acknowledge(c, p, rc, null);
            } else {
                acknowledgeWhenDurable(c, p, batch.commit(c.eventLoop()), rc);
            }
        }
    }

    /**
     * Acknowledges after {@code durable}, in the order PUBLISHes came ([MQTT-4.6.0-2], [MQTT-4.6.0-3]).
     * When the write failed, 5.0 is told with 0x97 (Quota exceeded: the disk is full) or 0x80 and a
     * reason string, and the QoS 2 id is released; 3.1.1 has no way to say it, so the connection is
     * closed without an acknowledgement and the client sends the message again when it reconnects.
     */
    private void acknowledgeWhenDurable(MqttConnection c, PublishPacket p, CompletionStage<Void> durable, ReasonCode rc) {
        c.acks().whenDurable(durable, error -> {
            if (error == null) {
                c.send(ack(c, p, rc, null));
                return;
            }
            if (p.qos() == 2) {
                c.session.release(p.packetId(), null);
            }
            StorageException e = StorageException.of(error);
            if (!c.version.isV5()) {
                c.close(ReasonCode.UNSPECIFIED_ERROR, "the message could not be stored: " + e.getMessage());
                return;
            }
            c.send(ack(c, p, e.quotaExceeded() ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.UNSPECIFIED_ERROR,
                    "the message could not be stored: " + e.getMessage()));
        });
    }

    /** Acknowledges now, after any acknowledgement still waiting for storage. */
    private static void acknowledge(MqttConnection c, PublishPacket p, ReasonCode rc, String reason) {
        c.sendAck(ack(c, p, rc, reason));
    }

    private static MqttPacket ack(MqttConnection c, PublishPacket p, ReasonCode rc, String reason) {
        Properties props = c.ackReasonString(reason);
        // [MQTT-4.3.2-4] PUBACK for QoS 1; [MQTT-4.3.3-8] PUBREC for QoS 2.
        return p.qos() == 1 ? new PubackPacket(p.packetId(), rc, props) : new PubrecPacket(p.packetId(), rc, props);
    }

    void onPubrel(MqttConnection c, PubrelPacket p) {
        StorageBatch batch = c.session.ackBatch();
        boolean found = c.session.release(p.packetId(), batch);
        // [MQTT-4.3.3-11] PUBREL is answered with PUBCOMP; 0x92 when the id was not pending (5.0).
        PubcompPacket reply = found || !c.version.isV5() ? new PubcompPacket(p.packetId())
                : new PubcompPacket(p.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                        c.ackReasonString("packet identifier " + p.packetId() + " was not awaiting PUBREL"));
        if (batch == null || batch.isEmpty()) {
            c.sendAck(reply);
        } else {
            // After the release is durable: a released id that came back after a restart would
            // swallow the client's next QoS 2 message with that id.
            c.acks().whenDurable(batch.commit(c.eventLoop()), error -> c.send(reply));
        }
    }
}
