package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
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
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.switchboard.broker.transport.TlsReload;
import io.switchboard.broker.transport.TlsReload.Outcome;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Client certificates checked against the CRLs of {@code tls.crl}, with the HiveMQ MQTT Client (5
 * and 3.1.1) and the raw client: a revoked or expired certificate fails the handshake; a CRL
 * reloaded while the broker runs closes the open connections whose certificate it revokes (MQTT 5:
 * DISCONNECT 0x87 Not authorized with a reason string; 3.1.1, which has no DISCONNECT from the
 * server: closed), publishing their Will and keeping their session, unless {@code closeRevoked} is
 * false. A broker per test, on files of its own.
 */
class TlsRevocationInteropTest extends HiveMqTestSupport {
    static final TestPki pki = TestPki.create();
    static final Identity revokedAtStart = pki.issueClient("revoked-at-start", "revoked-at-start");
    static final Identity expired = pki.issueClient("expired", "expired", Instant.now().minus(Duration.ofDays(2)),
            Instant.now().minus(Duration.ofDays(1)));

    @TempDir
    Path dir;
    private LiveTlsFiles files;
    private EmbeddedBroker broker;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger brokerLogger = (Logger) LoggerFactory.getLogger("io.switchboard.broker");

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    @BeforeEach
    void setUp() {
        files = new LiveTlsFiles(pki, dir);
        files.crls(TestPki.crl(pki.ca(), revokedAtStart));
        log.start();
        brokerLogger.addAppender(log);
    }

    @AfterEach
    void stopBroker() {
        closeClients(); // before the broker stops
        toClose.clear();
        brokerLogger.detachAppender(log);
        if (broker != null) {
            broker.close();
        }
    }

    private void start(String extra) {
        broker = LiveTlsFiles.broker(files.settings("required", true, extra));
    }

    private Mqtt5BlockingClient track(Mqtt5BlockingClient c) {
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    private Mqtt5BlockingClient connected(Identity cert) {
        Mqtt5BlockingClient c = track(files.v5(broker, unique(cert.certificate().getFileName().toString()), cert,
                new AtomicReference<>()).buildBlocking());
        c.connect();
        return c;
    }

    /** Connecting with {@code cert} fails at the handshake; returns the one line the broker logged about it. */
    private String refusedAtHandshake(Identity cert) {
        long before = broker.broker().metrics().tlsHandshakeFailures.sum();
        Mqtt5BlockingClient c = track(files.v5(broker, unique("refused"), cert, new AtomicReference<>())
                .buildBlocking());
        assertThatThrownBy(c::connect).isInstanceOf(RuntimeException.class);
        await().atMost(TIMEOUT).until(() -> broker.broker().metrics().tlsHandshakeFailures.sum() > before);
        return lines(Level.INFO).stream().filter(l -> l.startsWith("TLS handshake with")).reduce((a, b) -> b)
                .orElseThrow();
    }

    private List<String> lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** {@code c} subscribes and publishes to itself at QoS 1: its connection works. */
    private static void roundTrip(Mqtt5BlockingClient c, String payload) throws Exception {
        String topic = unique("revocation/round-trip");
        try (var in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(UTF_8)).send();
            assertThat(text(next(in))).isEqualTo(payload);
        }
    }

    // ---- at the handshake ----

    @ParameterizedTest(name = "CRL file in {0}")
    @ValueSource(strings = {"PEM, with another CA's CRL after it", "DER"})
    void aRevokedCertificateIsRefusedAtTheHandshake(String form) {
        if (form.equals("DER")) {
            files.crlDer(TestPki.crl(pki.ca(), revokedAtStart));
        } else {
            files.crls(TestPki.crl(pki.ca(), revokedAtStart), TestPki.crl(pki.untrustedCa()));
        }
        start("");
        assertThat(refusedAtHandshake(revokedAtStart))
                .contains("on listener 'tls' failed: the client's certificate is revoked by a CRL in tls.crl [");
        connected(pki.client()); // a certificate the CRL does not list
    }

    @ParameterizedTest(name = "with tls.crl: {0}")
    @ValueSource(booleans = {true, false})
    void anExpiredCertificateIsRefusedAtTheHandshake(boolean withCrl) {
        broker = LiveTlsFiles.broker(files.settings("required", withCrl, ""));
        assertThat(refusedAtHandshake(expired)).contains("on listener 'tls' failed: the client's certificate, or a CA"
                + " certificate in its chain, has expired");
    }

    @Test
    void aCrlPastItsNextUpdateRefusesTheCertificatesOfItsCaAndIsAWarning() {
        Instant now = Instant.now();
        files.crls(TestPki.crl(pki.ca(), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))));
        start("");
        assertThat(lines(Level.WARN)).anySatisfy(l -> assertThat(l).startsWith("Listener 'tls': the CRL of '")
                .contains("was due to be replaced on"));
        assertThat(refusedAtHandshake(pki.client())).contains("failed: tls.crl holds no current CRL of the CA that"
                + " issued the client's certificate");
    }

    // ---- open connections, when a reloaded CRL revokes their certificate ----

    @Test
    void anMqtt5ConnectionWhoseCertificateIsRevokedGetsDisconnectNotAuthorized() throws Exception {
        start("");
        Identity victim = pki.issueClient("victim-5", "victim-5");
        String id = unique("victim-5");
        String willTopic = unique("revocation/will");
        Mqtt5BlockingClient watcher = connected(pki.client());
        var wills = closing(watcher.publishes(MqttGlobalPublishFilter.ALL));
        watcher.subscribeWith().topicFilter(willTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient c = track(files.v5(broker, id, victim, new AtomicReference<>())
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause())).buildBlocking());
        c.connectWith().sessionExpiryInterval(300).willPublish().topic(willTopic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("revoked".getBytes(UTF_8)).applyWillPublish().send();

        files.crls(TestPki.crl(pki.ca(), revokedAtStart, victim));
        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.RELOADED);
        assertThat(r.revokedConnectionsClosed()).isEqualTo(1);

        // [MQTT-3.14.2-1] 0x87 is a DISCONNECT reason code; the reason string says why.
        Throwable cause = disconnected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        Mqtt5Disconnect disconnect = ((Mqtt5DisconnectException) cause).getMqttMessage();
        assertThat(disconnect.getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
        assertThat(disconnect.getReasonString()).hasValueSatisfying(s -> assertThat(s.toString())
                .isEqualTo("the client certificate was revoked"));
        // [MQTT-3.1.2-8] the connection closed without a DISCONNECT from the client: the Will is published.
        assertThat(text(next(wills))).isEqualTo("revoked");
        // The session stays for its expiry interval, as after any other close.
        assertThat(broker.broker().sessions().get(id)).isNotNull();
        // Its certificate no longer opens a connection; the others' connections are untouched.
        assertThat(refusedAtHandshake(victim)).contains("revoked by a CRL in tls.crl");
        roundTrip(watcher, "still connected");
    }

    @Test
    void anMqtt311ConnectionWhoseCertificateIsRevokedIsClosed() throws Exception {
        start("");
        Identity victim = pki.issueClient("victim-3", "victim-3");
        CompletableFuture<MqttClientDisconnectedContext> disconnected = new CompletableFuture<>();
        Mqtt3BlockingClient c = files.v3(broker, unique("victim-3"), victim)
                .addDisconnectedListener(disconnected::complete).buildBlocking();
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        c.connect();

        files.crls(TestPki.crl(pki.ca(), revokedAtStart, victim));
        assertThat(LiveTlsFiles.reload(broker).revokedConnectionsClosed()).isEqualTo(1);
        MqttClientDisconnectedContext ctx = disconnected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ctx.getSource()).isEqualTo(MqttDisconnectSource.SERVER);
    }

    /** What the broker sends, byte for byte, before it closes a connection whose certificate is revoked. */
    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(MqttVersion.class)
    void whatARevokedConnectionReceivesBeforeTheClose(MqttVersion version) throws Exception {
        start("");
        Identity victim = pki.issueClient("raw-victim-" + version, "raw-victim");
        try (RawClient c = RawClient.openTls(broker.port("tls"), version, pki.clientContext(victim))) {
            c.send(new ConnectPacket(version, true, 0, unique("raw-victim"), null, null, null, Properties.EMPTY));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);

            files.crls(TestPki.crl(pki.ca(), victim));
            assertThat(LiveTlsFiles.reload(broker).revokedConnectionsClosed()).isEqualTo(1);
            List<MqttPacket> before = c.receiveUntilClosed();
            if (version.isV5()) {
                assertThat(before).containsExactly(new DisconnectPacket(ReasonCode.NOT_AUTHORIZED,
                        Properties.builder().reasonString("the client certificate was revoked").build()));
            } else {
                assertThat(before).as("3.1.1 has no DISCONNECT from the server: just the close").isEmpty();
            }
        }
    }

    @Test
    void aConnectionStillInItsHandshakeAtTheReloadIsCheckedWhenTheHandshakeCompletes() throws Exception {
        // No connect timeout in the way: the broker closes the connection for its certificate or not at all.
        broker = LiveTlsFiles.broker(files.settings("required", true, ""), "mqtt: {connectTimeoutSeconds: 3600}\n");
        Identity late = pki.issueClient("late", "late");
        try (Socket plain = new Socket("127.0.0.1", broker.port("tls"))) {
            // The broker has the connection, with the TLS context of before; no handshake yet.
            await().atMost(TIMEOUT).until(() -> broker.broker().metrics().connectionsActive() == 1);
            files.crls(TestPki.crl(pki.ca(), late));
            assertThat(LiveTlsFiles.reload(broker).revokedConnectionsClosed()).as("nothing to close yet").isZero();

            // The handshake goes on with the context the connection began with, whose CRL does not list
            // the certificate; once it completes, the connection is checked against the CRLs now in force.
            SSLSocket tls = (SSLSocket) pki.clientContext(late).getSocketFactory().createSocket(plain, "127.0.0.1",
                    broker.port("tls"), true);
            tls.setSoTimeout((int) TIMEOUT.toMillis());
            tls.startHandshake();
            assertThat(readUntilClosed(tls)).as("closed by the broker").isTrue();
            assertThat(lines(Level.INFO)).anySatisfy(l -> assertThat(l).startsWith("Closing connection")
                    .endsWith("0x87 Not authorized: the client certificate was revoked"));
        }
    }

    /** Reads until the broker closes the connection (true), or fails if it stays open for {@code TIMEOUT}. */
    private static boolean readUntilClosed(SSLSocket s) {
        try {
            while (s.getInputStream().read() != -1) {
                // a session ticket, nothing else: nothing MQTT was sent
            }
            return true;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection is still open after " + TIMEOUT);
        } catch (IOException e) {
            return true; // closed without close_notify
        }
    }

    @Test
    void withCloseRevokedFalseTheConnectionStaysUpAndOnlyNewHandshakesAreRefused() throws Exception {
        start(", closeRevoked: false");
        Identity kept = pki.issueClient("kept", "kept");
        Mqtt5BlockingClient c = connected(kept);

        files.crls(TestPki.crl(pki.ca(), revokedAtStart, kept));
        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.RELOADED);
        assertThat(r.revokedConnectionsClosed()).isZero();
        // The reload has completed: a close would already have been sent, ahead of this round trip.
        roundTrip(c, "still up");
        assertThat(refusedAtHandshake(kept)).contains("revoked by a CRL in tls.crl");
    }

    // ---- CRL files that cannot be used ----

    @Test
    void aCrlFileThatIsNotACrlKeepsTheListsInForce() throws Exception {
        start("");
        Files.writeString(files.crl, "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n");
        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).startsWith("listeners[tls].tls.crl: '" + files.crl + "': not a certificate revocation"
                + " list: ");
        assertThat(lines(Level.ERROR)).singleElement().asString().startsWith(
                "Listener 'tls': TLS files not reloaded, those loaded before stay in use: listeners[tls].tls.crl: '");
        assertThat(refusedAtHandshake(revokedAtStart)).contains("revoked by a CRL in tls.crl");
        connected(pki.client());
    }

    @Test
    void aCrlInTheNameOfATrustedCaButNotSignedByItIsRefused() throws Exception {
        start("");
        Identity impostor = new Identity(null, null, pki.ca().x509(), pki.untrustedCa().privateKey(), List.of());
        files.crls(TestPki.crl(impostor, pki.client()));
        TlsReload r = LiveTlsFiles.reload(broker);
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.detail()).isEqualTo("listeners[tls].tls.crl: '" + files.crl + "': the CRL of '"
                + pki.ca().x509().getSubjectX500Principal().getName() + "' is not signed by the key of that CA in"
                + " tls.trustedCertificates");
        connected(pki.client());
    }
}
