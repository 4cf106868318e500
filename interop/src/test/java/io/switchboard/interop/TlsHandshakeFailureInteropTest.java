package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.interop.SecureListeners.RecordingAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A failed TLS handshake is one log line, naming the client's address, the listener and the reason
 * in words, and one count in {@code tlsHandshakeFailures}; nothing else is logged about it. A broker
 * of its own, so that no other test's connections are counted or logged.
 */
class TlsHandshakeFailureInteropTest {
    static final TestPki pki = TestPki.create();
    static final RecordingAuthenticator auth = new RecordingAuthenticator();

    @RegisterExtension
    static EmbeddedBroker broker = SecureListeners.broker(pki, auth);

    private static final Duration EXIT = Duration.ofSeconds(15);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger brokerLogger = (Logger) LoggerFactory.getLogger("io.switchboard");
    private final List<Proc> procs = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        log.start();
        brokerLogger.addAppender(log);
    }

    @AfterEach
    void stopCapture() {
        brokerLogger.detachAppender(log);
        procs.forEach(Proc::close);
    }

    private BrokerMetrics metrics() {
        return broker.broker().metrics();
    }

    /** Runs mosquitto_pub against the "tls" listener (client certificate required); it must fail. */
    private void refusedPub(Identity cert) {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(broker.port("tls")), "--cafile", pki.ca().certificate().toString(), "-i",
                unique("refused"), "-t", "x", "-m", "x"));
        if (cert != null) {
            cmd.addAll(List.of("--cert", cert.certificate().toString(), "--key", cert.key().toString()));
        }
        Proc p = Proc.start(cmd);
        procs.add(p);
        assertThat(p.awaitExit(EXIT)).as("%s", p.describe()).isNotZero();
    }

    /** Waits until the failure is counted and its connection is closed: every line about it is then logged. */
    private void awaitFailureSettled(long failuresBefore) {
        await().atMost(TIMEOUT).until(() -> metrics().tlsHandshakeFailures.sum() == failuresBefore + 1
                && metrics().connectionsActive() == 0);
    }

    private List<String> lines() {
        return log.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                .toList();
    }

    @Test
    void noClientCertificateIsOneLineWithTheAddressAndTheReason() {
        long before = metrics().tlsHandshakeFailures.sum();
        refusedPub(null);
        awaitFailureSettled(before);
        assertThat(lines()).singleElement().asString()
                .startsWith("INFO io.switchboard.broker.transport.Listener TLS handshake with /127.0.0.1:")
                .contains("on listener 'tls' failed: the client sent no certificate, and this listener requires one"
                        + " (tls.clientAuth: required)");
        assertThat(log.list.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(log.list.get(0).getThrowableProxy()).as("no stack trace").isNull();
    }

    @Test
    void untrustedClientCertificateIsOneLineWithTheAddressAndTheReason() {
        long before = metrics().tlsHandshakeFailures.sum();
        refusedPub(pki.untrustedClient());
        awaitFailureSettled(before);
        assertThat(lines()).singleElement().asString()
                .startsWith("INFO io.switchboard.broker.transport.Listener TLS handshake with /127.0.0.1:")
                .contains("on listener 'tls' failed: the client's certificate is not signed by a CA in"
                        + " tls.trustedCertificates [");
        assertThat(log.list.get(0).getThrowableProxy()).as("no stack trace").isNull();
    }
}
