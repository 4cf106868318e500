package io.switchboard.broker.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides who may connect. Called on a connection's event loop; it must not block it: anything
 * slow (a password hash, a remote lookup) runs elsewhere and completes the returned stage later,
 * on any thread. The broker holds the connection's packets meanwhile.
 *
 * <p>Enhanced authentication (5.0, section 4.12): a CONNECT carrying an Authentication Method that
 * {@link #supportsMethod} accepts is handed to {@link #authenticate}; a {@link AuthOutcome.Continue}
 * outcome sends AUTH 0x18 and feeds the client's next AUTH to its continuation, until success or
 * failure. A connected client may re-authenticate (AUTH 0x19) with the same method; the attempt then
 * has {@code reauthentication} set. A CONNECT whose method no authenticator supports gets CONNACK
 * 0x8C (Bad authentication method).
 */
public interface Authenticator {

    /** Lets every client in, and supports no enhanced authentication method. */
    Authenticator ALLOW_ALL = attempt -> CompletableFuture.completedFuture(AuthOutcome.success());

    /** Authenticates a CONNECT (or a re-authentication). */
    CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt);

    /**
     * The policy changed while this client was connected: is it still let in, and with which name
     * and attributes? A {@link AuthOutcome.Failure} disconnects it (0x87 Not authorized unless the
     * failure names a code a DISCONNECT may carry); a {@link AuthOutcome.Success} gives it its rights
     * anew. Decided from what the authenticator holds (the client does not take part; its password
     * is not kept): on the client's event loop, no blocking, no I/O. Default: unchanged.
     *
     * @param identity who the client authenticated as
     * @param certificates its verified TLS certificate chain, client first; empty without one
     */
    default AuthOutcome recheck(ClientIdentity identity, List<X509Certificate> certificates) {
        return new AuthOutcome.Success(identity.authenticationName(), identity.attributes(), null);
    }

    /**
     * The identity a client authenticated as {@code authenticationName} would have (its attributes),
     * without its credentials: for credentials the broker issues itself under that name (the web
     * console's browser client). Empty when the name is not one this authenticator lets in. Any
     * thread, no blocking. Default: the name, without attributes.
     */
    default Optional<AuthOutcome.Success> identityOf(String authenticationName) {
        return Optional.of(new AuthOutcome.Success(authenticationName, Map.of(), null));
    }

    /** Whether this authenticator handles a 5.0 Authentication Method. */
    default boolean supportsMethod(String authenticationMethod) {
        return false;
    }
}
