package io.switchboard.broker.auth;

import java.util.Map;

/**
 * Who a connected client is, as authentication established it; what an {@link Authorizer} decides
 * on.
 *
 * @param clientId the client identifier
 * @param authenticationName the name the client authenticated as (a certificate name, a user name,
 *     or what an enhanced authentication method established); null when the client is anonymous
 * @param listener the listener it connected to
 * @param attributes attributes the authenticator attached (for example from a client registry);
 *     values are strings, integers or lists of strings
 * @param grants what the {@link Authorizer} resolved for this client when it connected
 *     ({@link Authorizer#connected}), opaque to the broker; null when it resolved nothing
 */
public record ClientIdentity(String clientId, String authenticationName, String listener, Map<String, Object> attributes,
        Object grants) {
    public ClientIdentity {
        attributes = Map.copyOf(attributes);
    }

    /** An identity with nothing resolved by an authorizer yet. */
    public ClientIdentity(String clientId, String authenticationName, String listener, Map<String, Object> attributes) {
        this(clientId, authenticationName, listener, attributes, null);
    }

    /** The same identity with the authorizer's {@code grants}. */
    public ClientIdentity withGrants(Object grants) {
        return new ClientIdentity(clientId, authenticationName, listener, attributes, grants);
    }
}
