package io.switchboard.interop;

import io.switchboard.broker.auth.AuthOutcome;
import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A broker with every kind of listener, configured from YAML as a user would, with certificates
 * from {@link TestPki}, and an authenticator that lets everyone in and remembers each client's
 * {@link ConnectAttempt} (so tests see the certificate name the broker took from the handshake).
 *
 * <table>
 *   <tr><th>listener</th><th>type</th><th>client certificate</th></tr>
 *   <tr><td>default</td><td>tcp</td><td>n/a</td></tr>
 *   <tr><td>tls</td><td>tls</td><td>required, from {@code ca.pem}</td></tr>
 *   <tr><td>tls-optional</td><td>tls</td><td>optional, from {@code ca.pem}</td></tr>
 *   <tr><td>tls12</td><td>tls, TLS 1.2 only</td><td>none</td></tr>
 *   <tr><td>ws</td><td>ws ({@code /mqtt})</td><td>n/a</td></tr>
 *   <tr><td>wss</td><td>wss ({@code /mqtt})</td><td>optional, from {@code ca.pem}</td></tr>
 * </table>
 */
final class SecureListeners {
    private SecureListeners() {
    }

    /** The YAML of the listeners above, with the PEM files of {@code pki}. */
    static String yaml(TestPki pki) {
        String server = "certificate: \"" + pki.server().certificate() + "\", key: \"" + pki.server().key() + "\"";
        return """
                listeners:
                  - {name: default, port: 0}
                  - name: tls
                    type: tls
                    port: 0
                    tls: %1$s
                  - name: tls-optional
                    type: tls
                    port: 0
                    tls: %2$s
                  - name: tls12
                    type: tls
                    port: 0
                    tls: {%3$s, protocols: [TLSv1.2]}
                  - {name: ws, type: ws, port: 0}
                  - name: wss
                    type: wss
                    port: 0
                    tls: %2$s
                """.formatted(pki.listenerTls("required"), pki.listenerTls("optional"), server);
    }

    /** Lets every client in and keeps what each presented, by client id. */
    static final class RecordingAuthenticator implements Authenticator {
        private final Map<String, ConnectAttempt> attempts = new ConcurrentHashMap<>();

        @Override
        public CompletableFuture<AuthOutcome> authenticate(ConnectAttempt attempt) {
            attempts.put(attempt.clientId(), attempt);
            return CompletableFuture.completedFuture(AuthOutcome.success());
        }

        /** The attempt of a client id; fails when that client never reached authentication. */
        ConnectAttempt of(String clientId) {
            ConnectAttempt a = attempts.get(clientId);
            if (a == null) {
                throw new AssertionError("client '" + clientId + "' never reached the authenticator; seen: "
                        + attempts.keySet());
            }
            return a;
        }

        boolean saw(String clientId) {
            return attempts.containsKey(clientId);
        }
    }

    /** A broker with the listeners above and {@code auth} as its authenticator. */
    static EmbeddedBroker broker(TestPki pki, RecordingAuthenticator auth) {
        return EmbeddedBroker.fromYaml(yaml(pki)).with(b -> b.authenticator(auth));
    }
}
