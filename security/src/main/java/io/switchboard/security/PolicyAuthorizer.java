package io.switchboard.security;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.BrokerAccess;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.routing.ResponseTopics;
import io.switchboard.codec.property.Properties;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The broker's {@link Authorizer} for a {@link Policy}: a client's {@link Rights} are resolved once
 * when it connects ({@link #connected}, and again when the policy changes) and carried in its
 * identity, so that each PUBLISH, SUBSCRIBE and delivery is decided from that client's own filters.
 * Default deny. With reply rights ({@link ReplyRights}), delivering a request to a client grants it
 * the reply.
 */
public final class PolicyAuthorizer implements Authorizer {
    private final Supplier<Policy> policy;
    private final Clock clock;
    /** Who sent a request, for reply rights; null until the broker is up. */
    private volatile BrokerAccess broker;

    public PolicyAuthorizer(Policy policy) {
        this(() -> policy, Clock.systemUTC());
    }

    /** Decides by the policy {@code policy} gives at each connect (it may change: a reload). */
    public PolicyAuthorizer(Supplier<Policy> policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The running broker, for reply rights (who sent a request, and may they read its Response Topic). */
    public void attach(BrokerAccess b) {
        this.broker = b;
    }

    public Policy policy() {
        return policy.get();
    }

    @Override
    public ClientIdentity connected(ClientIdentity identity) {
        return identity.withGrants(resolve(identity));
    }

    private Rights resolve(ClientIdentity identity) {
        String name = identity.authenticationName();
        // The client's private reply prefix is its own (the broker keeps other clients out of it).
        return name == null ? Rights.NONE : policy.get().rightsOf(name, identity.attributes(),
                ResponseTopics.prefixFor(identity.clientId()) + "/#");
    }

    /**
     * The rights resolved at connect (or at the last reload). Resolved now when the identity has none
     * (a restored session's Will), or when they come from a policy that a reload has replaced and the
     * client has not been decided again yet: a reload takes effect at once, for every decision, not
     * only once each connected client's turn comes. A client the new policy disables explicitly gets
     * nothing meanwhile (it is being disconnected).
     */
    Rights rights(ClientIdentity identity) {
        Policy current = policy.get();
        if (identity.grants() instanceof Rights r && r.resolvedFrom(current)) {
            return r;
        }
        String name = identity.authenticationName();
        if (name != null && current.client(name).map(c -> !c.enabled()).orElse(false)) {
            return Rights.NONE;
        }
        return resolve(identity);
    }

    @Override
    public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain) {
        return rights(client).mayPublish(topic) ? ALLOWED : DENIED;
    }

    @Override
    public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain,
            Properties properties) {
        Rights r = rights(client);
        if (r.mayPublish(topic)) {
            return ALLOWED;
        }
        ReplyGrants replies = r.replies();
        return replies != null && replies.use(topic, properties.correlationData(), clock.millis()) ? ALLOWED : DENIED;
    }

    @Override
    public CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos) {
        return rights(client).maySubscribe(filter) ? ALLOWED : DENIED;
    }

    @Override
    public boolean mayReceive(ClientIdentity subscriber, String topic) {
        return rights(subscriber).mayReceive(topic);
    }

    @Override
    public boolean mayReceive(ClientIdentity subscriber, Message message) {
        Rights r = rights(subscriber);
        if (!r.mayReceive(message.topic())) {
            return false;
        }
        ReplyGrants replies = r.replies();
        if (replies != null) {
            String responseTopic = message.properties().responseTopic();
            if (responseTopic != null && requesterMayRead(message.publisherId(), responseTopic)) {
                replies.grant(System.identityHashCode(message), responseTopic, message.properties().correlationData(),
                        message.expiresAtMillis(), clock.millis());
            }
        }
        return true;
    }

    /**
     * Whether the sender of a request may aim a reply at {@code responseTopic}: it lies under the
     * sender's private reply prefix, or the sender (connected) may itself subscribe to it. Otherwise a
     * requester could make a responder publish where the requester chooses.
     */
    private boolean requesterMayRead(String requester, String responseTopic) {
        if (requester == null || requester.isEmpty()) {
            return false; // the broker's own messages ask for no reply
        }
        if (responseTopic.startsWith(ResponseTopics.prefixFor(requester) + "/")) {
            return true;
        }
        BrokerAccess b = broker;
        ClientIdentity who = b == null ? null : b.identity(requester);
        return who != null && rights(who).maySubscribe(responseTopic);
    }

    @Override
    public String explain(ClientIdentity client, String action, String topic) {
        String name = client.authenticationName();
        if (name == null) {
            return "default deny: the client has no authentication name";
        }
        Rights r = rights(client);
        var groups = policy.get().groupsOf(name, client.attributes());
        String granted = switch (action) {
            case "publish" -> r.publishFilters().toString();
            default -> r.subscribeFilters().toString();
        };
        return "default deny: no permission binding of groups " + groups + " grants " + action + " on it"
                + (action.equals("publish") ? " (publisher" : " (subscriber") + " topic templates resolved for it: "
                + granted + ")";
    }
}
