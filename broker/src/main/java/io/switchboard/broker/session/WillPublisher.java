package io.switchboard.broker.session;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.logging.LogText;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.Topics;
import io.switchboard.codec.packet.Will;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a Will as its client's PUBLISH would be: never to {@code $SYS/}, and only if the
 * authorizer lets the client that set it publish there now (decided at once, or later and then
 * published through the session's mailbox). A refused Will is counted as a denied publish. One per
 * broker; stateless.
 */
final class WillPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(WillPublisher.class);

    private final Router router;
    private final Authorizer authorizer;
    private final BrokerMetrics metrics;
    private final Clock clock;

    WillPublisher(Router router, Authorizer authorizer, BrokerMetrics metrics, Clock clock) {
        this.router = router;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param owner who set the Will (its authorization), or null when unknown
     * @param session runs a task on the session's loop, after what it was given before
     */
    void publish(Will will, ClientIdentity owner, String clientId, Executor session) {
        if (will.topic().startsWith(Topics.SYS_PREFIX)) {
            denied(will, clientId, "topics under $SYS/ are published by the broker only");
            return;
        }
        if (authorizer == Authorizer.ALLOW_ALL || owner == null) {
            route(will, clientId);
            return;
        }
        CompletableFuture<Boolean> decision = authorizer.mayPublish(owner, will.topic(), will.qos(), will.retain())
                .toCompletableFuture();
        if (decision.isDone()) {
            decide(will, clientId, !decision.isCompletedExceptionally() && Boolean.TRUE.equals(decision.join()));
        } else {
            decision.whenComplete((allowed, error) -> session.execute(() -> decide(will, clientId,
                    error == null && Boolean.TRUE.equals(allowed))));
        }
    }

    private void decide(Will will, String clientId, boolean allowed) {
        if (allowed) {
            route(will, clientId);
        } else {
            denied(will, clientId, "the authorizer refused it");
        }
    }

    private void route(Will will, String clientId) {
        LOG.debug("Client {}: publishing Will to '{}'", LogText.escape(clientId), LogText.escape(will.topic()));
        router.publish(Message.fromWill(will, clientId, clock.millis()));
    }

    private void denied(Will will, String clientId, String reason) {
        metrics.publishDenied.increment();
        LOG.info("Client {}: Will to '{}' not published: {}", LogText.escape(clientId), LogText.escape(will.topic()),
                reason);
    }
}
