package io.switchboard.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.codec.ReasonCode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test enhanced-authentication method, {@value #METHOD}: the broker sends a nonce in AUTH 0x18,
 * the client must answer with the nonce's bytes reversed ({@link #answer}). A right answer
 * authenticates the client as {@code challenged:{client id}}, with the nonce it answered as the
 * attribute {@value #NONCE_ATTRIBUTE} (so each authentication gives a new identity), and the CONNACK (or AUTH 0x00 of a
 * re-authentication) carries {@link #SUCCESS_DATA}; a wrong one is refused with 0x87 (Not
 * authorized). Clients without an Authentication Method are let in, so that one broker serves both.
 *
 * <p>Not a security mechanism: the nonces are a counter, so that nothing on the event loop reads
 * a random source. Every attempt is recorded ({@link #attempts()}) for tests to look at.
 */
public final class ChallengeResponseAuthenticator implements Authenticator {
    public static final String METHOD = "TEST-CHALLENGE";
    /** The Authentication Data of a successful CONNACK or AUTH 0x00. */
    public static final byte[] SUCCESS_DATA = "welcome".getBytes(UTF_8);
    /** The attribute of a successful authentication holding the nonce answered. */
    public static final String NONCE_ATTRIBUTE = "nonce";

    private final AtomicLong nonces = new AtomicLong();
    private final List<ConnectAttempt> attempts = new CopyOnWriteArrayList<>();

    @Override
    public boolean supportsMethod(String authenticationMethod) {
        return METHOD.equals(authenticationMethod);
    }

    @Override
    public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
        attempts.add(attempt);
        if (attempt.authenticationMethod() == null) {
            return CompletableFuture.completedFuture(AuthOutcome.success());
        }
        byte[] nonce = ("nonce-" + attempt.clientId() + "-" + nonces.incrementAndGet()).getBytes(UTF_8);
        return CompletableFuture.completedFuture(new AuthOutcome.Continue(nonce, response -> {
            boolean right = response != null && Arrays.equals(response, answer(nonce));
            return CompletableFuture.completedFuture(right
                    ? new AuthOutcome.Success("challenged:" + attempt.clientId(),
                            Map.of(NONCE_ATTRIBUTE, new String(nonce, UTF_8)), SUCCESS_DATA)
                    : new AuthOutcome.Failure(ReasonCode.NOT_AUTHORIZED, "wrong answer to the challenge"));
        }));
    }

    /** The right answer to a challenge: its bytes in reverse order. */
    public static byte[] answer(byte[] nonce) {
        byte[] r = new byte[nonce.length];
        for (int i = 0; i < nonce.length; i++) {
            r[i] = nonce[nonce.length - 1 - i];
        }
        return r;
    }

    /** Every attempt seen so far (CONNECTs and re-authentications), in order. */
    public List<ConnectAttempt> attempts() {
        return List.copyOf(attempts);
    }
}
