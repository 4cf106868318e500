package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.ConnectAttempt;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A 5.0 enhanced authentication in progress on one connection (section 4.12): the method, the
 * attempt it started from, and, while the broker waits for the client's next AUTH, the
 * authenticator's continuation. Confined to the connection's event loop.
 */
final class AuthExchange {
    final String method;
    final ConnectAttempt attempt;
    private Function<byte[], CompletionStage<AuthOutcome>> next;

    AuthExchange(String method, ConnectAttempt attempt) {
        this.method = method;
        this.attempt = attempt;
    }

    boolean awaitingClient() {
        return next != null;
    }

    void awaitClient(Function<byte[], CompletionStage<AuthOutcome>> continuation) {
        this.next = continuation;
    }

    /** The client's AUTH data goes to the continuation; the exchange waits for the authenticator again. */
    CompletionStage<AuthOutcome> respond(byte[] data) {
        Function<byte[], CompletionStage<AuthOutcome>> n = next;
        next = null;
        return n.apply(data);
    }
}
