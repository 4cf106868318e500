package io.switchboard.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.switchboard.broker.Broker;
import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.codec.ReasonCode;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The example of docs/extending.md, compiled with the tests and run by
 * {@link AuthHooksExampleConformanceTest}: user names and passwords checked off the event loop,
 * and each user confined to the topics under {@code users/{name}/}.
 */
final class AuthHooksExample {
    private AuthHooksExample() {
    }

    // tag::start[]
    static Broker start(BrokerConfig config, PasswordAuthenticator users, UserTopics topics) {
        return Broker.builder(config)
                .authenticator(users) // who may connect
                .authorizer(topics) // what they may do
                .start();
    }
    // end::start[]

    // tag::authenticator[]
    /** User names and salted PBKDF2 password hashes; the hash is computed on {@code hashing}, never on an event loop. */
    static final class PasswordAuthenticator implements Authenticator {
        private final Map<String, byte[][]> users = new ConcurrentHashMap<>(); // name -> {salt, hash}
        private final Executor hashing;

        PasswordAuthenticator(Executor hashing) {
            this.hashing = hashing;
        }

        @Override
        public CompletionStage<AuthOutcome> authenticate(ConnectAttempt attempt) {
            byte[][] user = attempt.username() == null ? null : users.get(attempt.username());
            if (user == null || attempt.password() == null) {
                // Decided at once: the broker applies a completed stage without leaving the event loop.
                return CompletableFuture.completedFuture(
                        new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown user or no password"));
            }
            byte[] password = attempt.password();
            // Slow on purpose: elsewhere. The broker holds the client's packets until the stage completes.
            return CompletableFuture.supplyAsync(() -> MessageDigest.isEqual(user[1], hash(password, user[0]))
                    ? new AuthOutcome.Success(attempt.username(), Map.of("prefix", "users/" + attempt.username() + "/"), null)
                    : new AuthOutcome.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong password"), hashing);
        }

        void addUser(String name, String password) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            users.put(name, new byte[][] {salt, hash(password.getBytes(UTF_8), salt)});
        }

        private static byte[] hash(byte[] password, byte[] salt) {
            char[] chars = new String(password, UTF_8).toCharArray();
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                        .generateSecret(new PBEKeySpec(chars, salt, 10_000, 256)).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
    // end::authenticator[]

    // tag::authorizer[]
    /** Each user publishes and subscribes under its own prefix; a user can be barred from receiving at once. */
    static final class UserTopics implements Authorizer {
        final Set<String> barred = ConcurrentHashMap.newKeySet();

        private static boolean own(ClientIdentity client, String topicOrFilter) {
            Object prefix = client.attributes().get("prefix");
            return prefix != null && topicOrFilter.startsWith((String) prefix);
        }

        @Override
        public CompletionStage<Boolean> mayPublish(ClientIdentity client, String topic, int qos, boolean retain) {
            return own(client, topic) ? ALLOWED : DENIED; // completed stages: decided on the event loop
        }

        @Override
        public CompletionStage<Boolean> maySubscribe(ClientIdentity client, String filter, int qos) {
            return own(client, filter) ? ALLOWED : DENIED;
        }

        @Override
        public boolean mayReceive(ClientIdentity subscriber, String topic) {
            return !barred.contains(subscriber.authenticationName()); // from memory: this is on every delivery
        }
    }
    // end::authorizer[]
}
