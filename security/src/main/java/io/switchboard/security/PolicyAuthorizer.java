package io.switchboard.security;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The broker's {@link Authorizer} for a {@link Policy}: a client's {@link Rights} are resolved once
 * when it connects ({@link #connected}) and carried in its identity, so that each PUBLISH, SUBSCRIBE
 * and delivery is decided from that client's own filters. Default deny.
 */
public final class PolicyAuthorizer implements Authorizer {
    private final Policy policy;

    public PolicyAuthorizer(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public ClientIdentity connected(ClientIdentity identity) {
        return identity.withGrants(resolve(identity));
    }

    private Rights resolve(ClientIdentity identity) {
        String name = identity.authenticationName();
        return name == null ? Rights.NONE : policy.rightsOf(name, identity.attributes());
    }

    /** The rights resolved at connect; resolved now for an identity that has none (a restored session's Will). */
    Rights rights(ClientIdentity identity) {
        return identity.grants() instanceof Rights r ? r : resolve(identity);
    }

    @Override
    public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain) {
        return rights(client).mayPublish(topic) ? ALLOWED : DENIED;
    }

    @Override
    public CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos) {
        return rights(client).maySubscribe(filter) ? ALLOWED : DENIED;
    }

    @Override
    public boolean mayReceive(ClientIdentity subscriber, String topic) {
        return rights(subscriber).mayReceive(topic);
    }
}
