package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;

import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.switchboard.broker.transport.TlsReload;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The files of a TLS listener in a directory of the test's own, which the test replaces while the
 * broker runs: the broker's certificate and key (from {@link TestPki#server()} at first), the CA
 * bundle for client certificates ({@link TestPki#ca()} at first) and the CRL file (none at first).
 * Also HiveMQ clients for such a listener that note the certificate the broker presented.
 */
final class LiveTlsFiles {
    final TestPki pki;
    final Path certificate;
    final Path key;
    final Path trusted;
    final Path crl;

    LiveTlsFiles(TestPki pki, Path dir) {
        this.pki = pki;
        this.certificate = dir.resolve("live-server.pem");
        this.key = dir.resolve("live-server.key");
        this.trusted = dir.resolve("live-ca.pem");
        this.crl = dir.resolve("live-crl.pem");
        server(pki.server());
        trust(pki.ca());
    }

    /** Puts {@code id}'s certificate and key in place of the broker's. */
    void server(Identity id) {
        copy(id.certificate(), certificate);
        copy(id.key(), key);
    }

    /** Makes the CA bundle the certificates of {@code cas}. */
    void trust(Identity... cas) {
        StringBuilder bundle = new StringBuilder();
        for (Identity ca : cas) {
            bundle.append(read(ca.certificate()));
        }
        write(trusted, bundle.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Makes the CRL file these CRLs, as PEM blocks. */
    void crls(X509CRL... crls) {
        Path written = pki.writeCrls("written-" + crl.getFileName(), crls);
        copy(written, crl);
    }

    /** Makes the CRL file this one CRL, in DER. */
    void crlDer(X509CRL one) {
        try {
            write(crl, one.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The inline YAML of the listener's tls settings: these files, client certificates as
     * {@code clientAuth} says (with the CA bundle, and the CRL file when {@code withCrl}), no
     * periodic check unless {@code extra} sets one, then {@code extra} (", key: value...").
     */
    String settings(String clientAuth, boolean withCrl, String extra) {
        String s = "certificate: \"" + certificate + "\", key: \"" + key + "\", reloadCheckSeconds: 0";
        if (!clientAuth.equals("none")) {
            s += ", clientAuth: " + clientAuth + ", trustedCertificates: \"" + trusted + "\"";
        }
        if (withCrl) {
            s += ", crl: \"" + crl + "\"";
        }
        return "{" + s + extra + "}";
    }

    /** A broker, started, with one listener {@code tls} of these settings. */
    static EmbeddedBroker broker(String settings) {
        return broker(settings, "");
    }

    /** A broker, started, with one listener {@code tls} of these settings, and more YAML after the listeners. */
    static EmbeddedBroker broker(String settings, String more) {
        EmbeddedBroker b = EmbeddedBroker.fromYaml("""
                listeners:
                  - name: tls
                    type: tls
                    port: 0
                    tls: %s
                """.formatted(settings) + more);
        b.start();
        return b;
    }

    /** Reloads the broker's TLS files now and returns its one listener's result. */
    static TlsReload reload(EmbeddedBroker broker) throws Exception {
        List<TlsReload> all = broker.broker().reloadTls().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (all.size() != 1) {
            throw new AssertionError("one TLS listener, one result; got " + all);
        }
        return all.get(0);
    }

    /**
     * A HiveMQ 5 client builder for the broker's {@code tls} listener, trusting {@link TestPki#ca()},
     * presenting {@code cert} (or no certificate when null), setting {@code served} to the
     * certificate the broker presents.
     */
    Mqtt5ClientBuilder v5(EmbeddedBroker broker, String id, Identity cert, AtomicReference<X509Certificate> served) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port("tls"))
                .sslConfig().trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(cert == null ? null : TestPki.keyManagerFactory(cert))
                .hostnameVerifier((host, session) -> {
                    try {
                        served.set((X509Certificate) session.getPeerCertificates()[0]);
                        return true; // the chain was verified against the CA; the name is the test's own
                    } catch (SSLPeerUnverifiedException e) {
                        return false;
                    }
                })
                .applySslConfig();
    }

    /** A HiveMQ 3.1.1 client builder for the broker's {@code tls} listener, presenting {@code cert}. */
    Mqtt3ClientBuilder v3(EmbeddedBroker broker, String id, Identity cert) {
        return Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port("tls"))
                .sslConfig().trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(TestPki.keyManagerFactory(cert))
                .applySslConfig();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes through a temporary file and a rename, as tools that replace certificates do. */
    private static void write(Path target, byte[] content) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            write(to, Files.readAllBytes(from));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
