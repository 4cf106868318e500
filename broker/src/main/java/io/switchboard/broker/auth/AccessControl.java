package io.switchboard.broker.auth;

/**
 * Authentication and authorization that belong together and can change while the broker runs (a
 * policy file: the {@code security} module). The broker asks it for its {@link Authenticator} and
 * {@link Authorizer} once, tells it when it is up ({@link #started}), asks it to {@link #reload}
 * on SIGHUP or from the admin API, and closes it when it stops.
 */
public interface AccessControl extends AutoCloseable {

    Authenticator authenticator();

    Authorizer authorizer();

    /**
     * The broker is serving. From here on a change of policy (a reload, a watched file) calls
     * {@link BrokerAccess#reauthorize} so that connected clients are decided again.
     */
    default void started(BrokerAccess broker) {
    }

    /**
     * Loads the policy again and, when it is valid, puts it in force and re-decides connected
     * clients; when it is not, the policy in force stays. Any thread; never throws for a bad file.
     */
    ReloadResult reload();

    @Override
    default void close() {
    }

    /**
     * What a reload did.
     *
     * @param applied whether a new policy is in force
     * @param message what happened, for a log line or an admin API answer: on failure the error,
     *     naming the file and what is wrong
     */
    record ReloadResult(boolean applied, String message) {
    }
}
