package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.awaitSubscribers;
import static io.switchboard.interop.Interop.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.interop.SecureListeners.RecordingAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mosquitto_pub} and {@code mosquitto_sub} (OpenSSL) over TLS with {@code --cafile},
 * {@code --cert} and {@code --key}: client certificates from the trusted CA are accepted and their
 * CN reaches the authenticator; no certificate, or one from another CA, is refused where the
 * listener requires one, and accepted where it is optional; TLS 1.2 and 1.3 both work.
 */
class MosquittoTlsInteropTest {
    static final TestPki pki = TestPki.create();
    static final RecordingAuthenticator auth = new RecordingAuthenticator();

    @RegisterExtension
    static EmbeddedBroker broker = SecureListeners.broker(pki, auth);

    private static final Duration EXIT = Duration.ofSeconds(15);
    private final List<Proc> procs = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        procs.forEach(Proc::close);
    }

    /** A mosquitto tool on a listener, trusting the test CA, presenting {@code cert} (or none), with more args. */
    private Proc run(String tool, String listener, Identity cert, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(broker.port(listener)),
                "--cafile", pki.ca().certificate().toString()));
        if (cert != null) {
            cmd.addAll(List.of("--cert", cert.certificate().toString(), "--key", cert.key().toString()));
        }
        cmd.addAll(List.of(args));
        Proc p = Proc.start(cmd);
        procs.add(p);
        return p;
    }

    private long handshakeFailures() {
        return broker.broker().metrics().tlsHandshakeFailures.sum();
    }

    /** Waits for a refused mosquitto_pub to exit non-zero, and for the broker to count the failed handshake. */
    private void assertRefused(Proc pub, long failuresBefore, String clientId) {
        assertThat(pub.awaitExit(EXIT)).as("exit code of a refused mosquitto_pub; %s", pub.describe())
                .isNotZero();
        await().atMost(TIMEOUT).until(() -> handshakeFailures() > failuresBefore);
        assertThat(auth.saw(clientId)).as("a refused client never reaches MQTT authentication").isFalse();
    }

    @ParameterizedTest(name = "-V {0}")
    @ValueSource(strings = {"5", "311"})
    void clientCertificateFromTheTrustedCaIsAcceptedAndItsCommonNameReachesTheAuthenticator(String version) {
        String topic = unique("tls/mosq");
        String subId = unique("mosq-tls-sub");
        String pubId = unique("mosq-tls-pub");
        Proc sub = run("mosquitto_sub", "tls", pki.client(), "-V", version, "-i", subId, "-q", "1", "-t", topic,
                "-C", "1", "-W", "10");
        awaitSubscribers(broker, topic, 1);
        run("mosquitto_pub", "tls", pki.client(), "-V", version, "-i", pubId, "-q", "1", "-t", topic, "-m",
                "over tls").awaitSuccess(EXIT);
        assertThat(sub.awaitSuccess(EXIT)).containsExactly("over tls");

        ConnectAttempt a = auth.of(pubId);
        assertThat(a.certificateName()).isEqualTo(TestPki.CLIENT_NAME);
        assertThat(a.clientCertificates()).first().isEqualTo(pki.client().x509()); // the client's first
        assertThat(a.transport()).isEqualTo("tls");
        assertThat(a.listener()).isEqualTo("tls");
        assertThat(auth.of(subId).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
    }

    @Test
    void tls13() {
        // mosquitto's --tls-version is the lowest version it accepts: tlsv1.3 means 1.3 only.
        String topic = unique("tls/v13");
        String id = unique("mosq-tls13");
        Proc sub = run("mosquitto_sub", "tls", pki.client(), "--tls-version", "tlsv1.3", "-q", "1", "-t", topic,
                "-C", "1", "-W", "10");
        awaitSubscribers(broker, topic, 1);
        run("mosquitto_pub", "tls", pki.client(), "--tls-version", "tlsv1.3", "-i", id, "-q", "1", "-t", topic,
                "-m", "1.3").awaitSuccess(EXIT);
        assertThat(sub.awaitSuccess(EXIT)).containsExactly("1.3");
        assertThat(auth.of(id).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
    }

    @Test
    void tls12OnAListenerLimitedToIt() {
        // The listener "tls12" accepts TLS 1.2 only (tls.protocols); the client offers 1.2 and 1.3.
        String topic = unique("tls/v12");
        Proc sub = run("mosquitto_sub", "tls12", null, "--tls-version", "tlsv1.2", "-q", "1", "-t", topic,
                "-C", "1", "-W", "10");
        awaitSubscribers(broker, topic, 1);
        run("mosquitto_pub", "tls12", null, "--tls-version", "tlsv1.2", "-q", "1", "-t", topic, "-m", "1.2")
                .awaitSuccess(EXIT);
        assertThat(sub.awaitSuccess(EXIT)).containsExactly("1.2");
    }

    @Test
    void aTls13OnlyClientIsRefusedByAListenerLimitedToTls12() {
        long before = handshakeFailures();
        String id = unique("mosq-tls13-on-12");
        assertRefused(run("mosquitto_pub", "tls12", null, "--tls-version", "tlsv1.3", "-i", id, "-t", "x", "-m",
                "x"), before, id);
    }

    @ParameterizedTest(name = "-V {0}")
    @ValueSource(strings = {"5", "311"})
    void refusedWithoutACertificateWhenTheListenerRequiresOne(String version) {
        long before = handshakeFailures();
        String id = unique("mosq-no-cert");
        assertRefused(run("mosquitto_pub", "tls", null, "-V", version, "-i", id, "-q", "1", "-t", "tls/x", "-m",
                "x"), before, id);
    }

    @Test
    void refusedWithACertificateFromAnUntrustedCa() {
        long before = handshakeFailures();
        String id = unique("mosq-untrusted");
        assertRefused(run("mosquitto_pub", "tls", pki.untrustedClient(), "-i", id, "-q", "1", "-t", "tls/x", "-m",
                "x"), before, id);
    }

    @Test
    void optionalClientAuthenticationAcceptsAClientWithoutACertificate() {
        String id = unique("mosq-optional-none");
        run("mosquitto_pub", "tls-optional", null, "-i", id, "-q", "1", "-t", "tls/optional", "-m", "x")
                .awaitSuccess(EXIT);
        ConnectAttempt a = auth.of(id);
        assertThat(a.certificateName()).isNull();
        assertThat(a.clientCertificates()).isEmpty();
        assertThat(a.transport()).isEqualTo("tls");
    }

    @Test
    void optionalClientAuthenticationStillNamesAClientThatPresentsACertificate() {
        String id = unique("mosq-optional-cert");
        run("mosquitto_pub", "tls-optional", pki.client(), "-i", id, "-q", "1", "-t", "tls/optional", "-m", "x")
                .awaitSuccess(EXIT);
        assertThat(auth.of(id).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
    }

    @Test
    void optionalClientAuthenticationStillRefusesACertificateFromAnUntrustedCa() {
        long before = handshakeFailures();
        String id = unique("mosq-optional-untrusted");
        assertRefused(run("mosquitto_pub", "tls-optional", pki.untrustedClient(), "-i", id, "-t", "tls/x", "-m",
                "x"), before, id);
    }

    @Test
    void theClientRefusesABrokerWhoseCertificateItsCaDidNotSign() {
        // The other side of the handshake: mosquitto_pub trusting only the other CA rejects the broker.
        String id = unique("mosq-distrusts");
        Proc pub = Proc.start(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port("tls")),
                "--cafile", pki.untrustedCa().certificate().toString(), "--cert", pki.client().certificate().toString(),
                "--key", pki.client().key().toString(), "-i", id, "-t", "tls/x", "-m", "x"));
        procs.add(pub);
        assertThat(pub.awaitExit(EXIT)).isNotZero();
        assertThat(auth.saw(id)).isFalse();
    }
}
