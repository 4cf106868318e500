package io.switchboard.broker.auth;

import java.util.concurrent.CompletableFuture;

/** What an {@link AccessControl} may ask of the running broker. */
public interface BrokerAccess {

    /**
     * Decides every connected client again, after a change of policy: each is rechecked
     * ({@link Authenticator#recheck}) and disconnected with the reason code of a failure (0x87 Not
     * authorized; in 3.1.1 the connection is closed), or given its rights anew
     * ({@link Authorizer#connected}), which hold from its next delivery on. Runs on the clients'
     * event loops; completes when all are done.
     */
    CompletableFuture<Reauthorization> reauthorize();

    /**
     * The identity of a connected client (as its authorizer last resolved it), or null when no
     * client with this id is connected. Any thread.
     */
    ClientIdentity identity(String clientId);

    /**
     * What {@link #reauthorize} did.
     *
     * @param checked connected clients decided again
     * @param disconnected of them, those disconnected
     */
    record Reauthorization(int checked, int disconnected) {
    }
}
