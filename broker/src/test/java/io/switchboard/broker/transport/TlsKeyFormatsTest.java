package io.switchboard.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.ConfigLoader;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A TLS listener starts with each key form users have and completes a handshake, here where (as in
 * the runnable jar) BouncyCastle is not on the class path to read the traditional forms for Netty.
 */
class TlsKeyFormatsTest {

    static Path fixture(String name) throws Exception {
        return Path.of(TlsKeyFormatsTest.class.getResource("/tls-keys/" + name).toURI());
    }

    static Broker start(String certificate, String key, String extra) throws Exception {
        return Broker.start(ConfigLoader.parse("""
                listeners:
                  - name: tls
                    type: tls
                    port: 0
                    tls: {certificate: "%s", key: "%s"%s}
                eventLoopThreads: 1
                storage: memory
                """.formatted(fixture(certificate), key.startsWith("/") ? key : fixture(key), extra), "test"));
    }

    @Test
    void bouncyCastleIsNotOnThisClassPath() {
        assertThatThrownBy(() -> Class.forName("org.bouncycastle.openssl.PEMParser"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(nullValues = "none", value = {"rsa.pem, rsa-pkcs1.key, none", "rsa.pem, rsa-pkcs8.key, none",
            "ec.pem, ec-sec1.key, none", "ec.pem, ec-pkcs8.key, none", "ec.pem, ec-pkcs8-encrypted.key, secret"})
    void listenerStartsAndHandshakes(String certificate, String key, String password) throws Exception {
        try (Broker broker = start(certificate, key, password == null ? "" : ", keyPassword: " + password)) {
            X509Certificate cert;
            try (InputStream in = java.nio.file.Files.newInputStream(fixture(certificate))) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", broker.port("tls"))) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(cert);
            }
        }
    }

    @Test
    void legacyEncryptedKeyIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> start("rsa.pem", "rsa-pkcs1-encrypted.key", ", keyPassword: secret"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("listeners[tls].tls.key: '")
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void missingTrustedCertificatesFileIsNamed() {
        assertThatThrownBy(() -> start("rsa.pem", "rsa-pkcs8.key",
                ", clientAuth: required, trustedCertificates: /no/such/ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("listeners[tls].tls.trustedCertificates: file '/no/such/ca.pem' does not exist or cannot"
                        + " be read");
    }
}
