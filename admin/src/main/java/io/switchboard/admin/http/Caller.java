package io.switchboard.admin.http;

import io.switchboard.broker.config.HttpConfig;

/**
 * Who sent a request, as authentication established it.
 *
 * @param user the user or token name; null for the local caller when no one needs to sign in
 * @param role {@code admin} or {@code read-only}
 * @param via how it was established: {@code local} (nothing configured, loopback only),
 *     {@code session} (a console sign-in), {@code token} (an API token) or {@code basic}
 * @param mqttName the authentication name for the console's MQTT credential; null if none
 * @param session the console session's token, or null
 */
public record Caller(String user, String role, String via, String mqttName, String session) {
    /** Whoever reaches a listener that asks no one (loopback only). */
    public static final Caller LOCAL = new Caller(null, HttpConfig.ROLE_ADMIN, "local", null, null);
    /** Not signed in. */
    public static final Caller ANONYMOUS = new Caller(null, null, "anonymous", null, null);

    public boolean admin() {
        return HttpConfig.ROLE_ADMIN.equals(role);
    }

    public boolean authenticated() {
        return role != null;
    }

    /** For the audit log: "alice (session)". */
    public String describe() {
        return (user == null ? "local user" : user) + " (" + via + ")";
    }
}
