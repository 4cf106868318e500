package io.switchboard.broker.delivery;

import io.switchboard.broker.config.RpcConfig;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import java.time.Clock;
import java.util.List;

/**
 * The broker's help with request/response (docs/rpc.md, "Broker help"). A request is a PUBLISH
 * with a Response Topic; a reply one with Correlation Data and no Response Topic. When a request
 * matches no subscriber, or expires in a session's queue before it is delivered, the broker sends
 * the requester a reply on the request's Response Topic, with its Correlation Data and the user
 * properties {@code rpc-status} ({@code no-responders} or {@code expired}) and {@code rpc-message},
 * so that any caller fails at once instead of waiting for its timeout. The broker's replies carry
 * no Response Topic: a reply is never answered with a reply.
 */
public final class RequestHelp {
    public static final String STATUS = "rpc-status";
    public static final String MESSAGE = "rpc-message";
    public static final String NO_RESPONDERS = "no-responders";
    public static final String EXPIRED = "expired";
    /** How long the broker's reply to an expired request waits for its requester. */
    static final long EXPIRED_REPLY_TTL_MILLIS = 60_000;

    private final RpcConfig config;
    private final Router router;
    private final BrokerMetrics metrics;
    private final Clock clock;

    public RequestHelp(RpcConfig config, Router router, BrokerMetrics metrics, Clock clock) {
        this.config = config;
        this.router = router;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A client's PUBLISH was routed to {@code matched} subscribers. On the publisher's event loop. */
    public void published(Message m, int matched) {
        Properties p = m.properties();
        if (p.responseTopic() != null) {
            metrics.rpcRequests.increment();
            if (matched == 0 && config.noResponderReplies()) {
                metrics.rpcNoResponderReplies.increment();
                // The reply lives as long as the request would have: a caller gone by then gets nothing stale.
                reply(m, NO_RESPONDERS, "no subscriber matched the request topic '" + m.topic() + "'", m.expiresAtMillis());
            }
        } else if (p.correlationData() != null) {
            metrics.rpcReplies.increment();
        }
    }

    /** A delivery of {@code m} expired in a session's queue before it was sent. */
    public void expired(Message m) {
        if (m.properties().responseTopic() != null && config.expiryReplies()) {
            metrics.rpcExpiryReplies.increment();
            reply(m, EXPIRED, "the request to '" + m.topic() + "' expired in a responder's queue before it was delivered",
                    clock.millis() + EXPIRED_REPLY_TTL_MILLIS);
        }
    }

    private void reply(Message request, String status, String text, long expiresAtMillis) {
        Properties props = Properties.builder().correlationData(request.properties().correlationData())
                .userProperties(List.of(new UserProperty(STATUS, status), new UserProperty(MESSAGE, text))).build();
        // Published by the broker (no publisher id: No Local never hides it), at the request's QoS.
        router.publish(new Message(request.properties().responseTopic(), request.qos(), false, Payload.EMPTY, props, "",
                expiresAtMillis));
    }
}
