package io.switchboard.interop;

import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.switchboard.broker.transport.TlsReload;
import io.switchboard.broker.transport.TlsReload.Outcome;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A TLS listener reloads its certificate, key and CA bundle when they change, with the HiveMQ MQTT
 * Client on both sides of the change: new handshakes get the new files, connections already open go
 * on exchanging messages; new files that cannot be used leave the old ones in force with one ERROR
 * line. Reloads are asked for with {@code Broker.reloadTls()}, except in the test of the periodic
 * check. A broker per test, on files of its own.
 */
class TlsReloadInteropTest extends HiveMqTestSupport {
    static final TestPki pki = TestPki.create();
    /** A renewed certificate for the broker, from the same CA. */
    static final Identity renewed = pki.issueServer("renewed-server", pki.ca());

    @TempDir
    Path dir;
    private LiveTlsFiles files;
    private EmbeddedBroker broker;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger reloadLogger = (Logger) LoggerFactory.getLogger("io.switchboard.broker.transport.ListenerTls");

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    @BeforeEach
    void setUp() {
        files = new LiveTlsFiles(pki, dir);
        log.start();
        reloadLogger.addAppender(log);
    }

    @AfterEach
    void stopBroker() {
        closeClients(); // before the broker stops
        toClose.clear();
        reloadLogger.detachAppender(log);
        if (broker != null) {
            broker.close();
        }
    }

    private Mqtt5BlockingClient connected(String id, Identity cert, AtomicReference<X509Certificate> served) {
        Mqtt5BlockingClient c = files.v5(broker, id, cert, served).buildBlocking();
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        c.connect();
        return c;
    }

    /** {@code from} publishes at QoS 1 to a topic {@code to} subscribed to; {@code to} receives it. */
    private static void exchange(Mqtt5BlockingClient from, Mqtt5BlockingClient to, String payload) throws Exception {
        String topic = unique("reload/exchange");
        try (var in = to.publishes(MqttGlobalPublishFilter.ALL)) {
            to.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            from.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(UTF_8)).send();
            assertThat(text(next(in))).isEqualTo(payload);
        }
    }

    private List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aRenewedServerCertificateIsServedToNewClientsWhileOpenConnectionsGoOn() throws Exception {
        broker = LiveTlsFiles.broker(files.settings("none", false, ""));
        AtomicReference<X509Certificate> oldServed = new AtomicReference<>();
        Mqtt5BlockingClient old = connected(unique("old"), null, oldServed);
        assertThat(oldServed.get()).isEqualTo(pki.server().x509());

        files.server(renewed);
        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.RELOADED);
        assertThat(r.detail()).isEqualTo("reloaded tls.certificate '" + files.certificate + "', tls.key '"
                + files.key + "'");

        AtomicReference<X509Certificate> newServed = new AtomicReference<>();
        Mqtt5BlockingClient fresh = connected(unique("new"), null, newServed);
        assertThat(newServed.get()).as("a new handshake gets the renewed certificate").isEqualTo(renewed.x509());
        // The connection made before the reload is untouched: it sends and receives as before.
        exchange(old, fresh, "old to new");
        exchange(fresh, old, "new to old");
        assertThat(old.getState().isConnected()).isTrue();
        assertThat(lines(Level.INFO)).singleElement().asString()
                .startsWith("Listener 'tls': reloaded tls.certificate '" + files.certificate + "'")
                .contains("new handshakes use them, open connections keep theirs");
    }

    @Test
    void unchangedFilesReloadNothing() throws Exception {
        broker = LiveTlsFiles.broker(files.settings("required", false, ""));
        files.server(pki.server()); // the same content, written again
        assertThat(LiveTlsFiles.reload(broker)).isEqualTo(new TlsReload("tls", Outcome.UNCHANGED, "", 0));
        assertThat(log.list).isEmpty();
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateKeepsTheOldFilesWithOneError() throws Exception {
        broker = LiveTlsFiles.broker(files.settings("none", false, ""));
        Mqtt5BlockingClient old = connected(unique("old"), null, new AtomicReference<>());
        Files.copy(renewed.key(), files.key, StandardCopyOption.REPLACE_EXISTING); // the certificate stays

        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).isEqualTo("listeners[tls].tls.key: the key in '" + files.key + "' does not belong"
                + " to the certificate in '" + files.certificate + "' (its first certificate must be the broker's"
                + " own, the one the key was made for)");
        assertThat(lines(Level.ERROR)).containsExactly(
                "Listener 'tls': TLS files not reloaded, those loaded before stay in use: " + r.detail());

        AtomicReference<X509Certificate> served = new AtomicReference<>();
        Mqtt5BlockingClient fresh = connected(unique("new"), null, served);
        assertThat(served.get()).as("the old certificate and key are still in use").isEqualTo(pki.server().x509());
        exchange(old, fresh, "still up");
    }

    @Test
    void aCertificateFileThatIsNotPemKeepsTheOldFiles() throws Exception {
        broker = LiveTlsFiles.broker(files.settings("none", false, ""));
        Files.writeString(files.certificate, "this is not a certificate\n");
        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).startsWith("listeners[tls].tls.certificate: '" + files.certificate + "'");
        assertThat(lines(Level.ERROR)).hasSize(1);

        AtomicReference<X509Certificate> served = new AtomicReference<>();
        connected(unique("new"), null, served);
        assertThat(served.get()).isEqualTo(pki.server().x509());
    }

    @Test
    void aCaAddedToTheBundleLetsItsClientsIn() throws Exception {
        broker = LiveTlsFiles.broker(files.settings("required", false, ""));
        Mqtt5BlockingClient trusted = connected(unique("trusted"), pki.client(), new AtomicReference<>());
        Mqtt5BlockingClient refused = files.v5(broker, unique("other-ca"), pki.untrustedClient(),
                new AtomicReference<>()).buildBlocking();
        assertThatThrownBy(refused::connect).as("a CA not in the bundle yet").isInstanceOf(RuntimeException.class);

        files.trust(pki.ca(), pki.untrustedCa());
        assertThat(LiveTlsFiles.reload(broker).detail()).isEqualTo("reloaded tls.trustedCertificates '"
                + files.trusted + "'");

        Mqtt5BlockingClient admitted = connected(unique("other-ca"), pki.untrustedClient(), new AtomicReference<>());
        exchange(trusted, admitted, "from the first CA's client");
    }

    @Test
    void thePeriodicCheckPicksUpASecretVolumeSwappingItsSymbolicLink() throws Exception {
        // As Kubernetes mounts a secret: live-server.pem -> ..data/tls.crt, ..data -> ..v1; an update
        // writes ..v2 and renames a new ..data link over the old one.
        Path v1 = Files.createDirectory(dir.resolve("..v1"));
        Path v2 = Files.createDirectory(dir.resolve("..v2"));
        Files.copy(pki.server().certificate(), v1.resolve("tls.crt"));
        Files.copy(pki.server().key(), v1.resolve("tls.key"));
        Files.copy(renewed.certificate(), v2.resolve("tls.crt"));
        Files.copy(renewed.key(), v2.resolve("tls.key"));
        Path data = Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Path cert = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Path key = Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data/tls.key"));
        broker = LiveTlsFiles.broker("{certificate: \"" + cert + "\", key: \"" + key + "\", reloadCheckSeconds: 1}");

        Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(swap, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        await().atMost(Duration.ofSeconds(30)).until(() -> !lines(Level.INFO).isEmpty());
        assertThat(lines(Level.INFO)).singleElement().asString()
                .startsWith("Listener 'tls': reloaded tls.certificate '" + cert + "', tls.key '" + key + "'");
        AtomicReference<X509Certificate> served = new AtomicReference<>();
        connected(unique("after-swap"), null, served);
        assertThat(served.get()).isEqualTo(renewed.x509());
    }
}
