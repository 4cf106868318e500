package io.switchboard.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.NotSslRecordException;
import io.switchboard.broker.config.TlsConfig;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reason a failed handshake is logged with: a sentence naming the setting, then the engine's own words. */
class HandshakeFailureTest {
    private static final TlsConfig REQUIRED = new TlsConfig("server.pem", "server.key", null, "required", "ca.pem",
            null, null, "crl.pem", null, null);
    private static final TlsConfig TLS12 = new TlsConfig("server.pem", "server.key", null, null, null,
            List.of("TLSv1.2"), null, null, null, null);

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void noClientCertificateFromBoringSsl() {
        assertThat(HandshakeFailure.describe(new SSLHandshakeException(
                "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"), REQUIRED))
                .isEqualTo("the client sent no certificate, and this listener requires one (tls.clientAuth: required)"
                        + " [error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE]");
    }

    @Test
    void noClientCertificateFromTheJdkEngine() {
        assertThat(HandshakeFailure.describe(new SSLHandshakeException("Empty client certificate chain"), REQUIRED))
                .startsWith("the client sent no certificate");
    }

    @Test
    void untrustedClientCertificateNamesTheSettingAndTheDeepestMessage() {
        // What the native engine reports: a generic message over the trust manager's exception.
        Throwable cause = handshake("General OpenSslEngine problem", new CertificateException(
                "PKIX path building failed: unable to find valid certification path to requested target",
                new CertPathBuilderException("unable to find valid certification path to requested target")));
        assertThat(HandshakeFailure.describe(cause, REQUIRED)).isEqualTo(
                "the client's certificate is not signed by a CA in tls.trustedCertificates"
                        + " [unable to find valid certification path to requested target]");
    }

    @Test
    void expiredClientCertificate() {
        Throwable cause = handshake("General OpenSslEngine problem", new CertificateException("PKIX path validation"
                + " failed", new CertPathValidatorException("validity check failed",
                        new CertificateExpiredException("NotAfter: Sat Jan 01 00:00:00 UTC 2000"))));
        assertThat(HandshakeFailure.describe(cause, REQUIRED)).isEqualTo(
                "the client's certificate, or a CA certificate in its chain, has expired"
                        + " [NotAfter: Sat Jan 01 00:00:00 UTC 2000]");
    }

    @Test
    void revokedClientCertificate() {
        Throwable cause = handshake("General OpenSslEngine problem", new CertificateException("PKIX path validation"
                + " failed", new CertPathValidatorException("Certificate has been revoked, reason: UNSPECIFIED",
                        null, null, -1, BasicReason.REVOKED)));
        assertThat(HandshakeFailure.describe(cause, REQUIRED)).isEqualTo(
                "the client's certificate is revoked by a CRL in tls.crl"
                        + " [Certificate has been revoked, reason: UNSPECIFIED]");
    }

    @Test
    void noCurrentCrlOfTheIssuer() {
        Throwable cause = handshake("General OpenSslEngine problem", new CertificateException("PKIX path validation"
                + " failed", new CertPathValidatorException("Could not determine revocation status", null, null, -1,
                        BasicReason.UNDETERMINED_REVOCATION_STATUS)));
        assertThat(HandshakeFailure.describe(cause, REQUIRED)).startsWith(
                "tls.crl holds no current CRL of the CA that issued the client's certificate");
    }

    @Test
    void noCommonTlsVersionNamesWhatTheListenerAccepts() {
        assertThat(HandshakeFailure.describe(new SSLHandshakeException(
                "error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"), TLS12))
                .startsWith("the client and this listener have no TLS version in common; the listener accepts"
                        + " TLSv1.2 (tls.protocols)");
    }

    @Test
    void aClientThatDoesNotTrustTheBroker() {
        assertThat(HandshakeFailure.describe(new SSLHandshakeException(
                "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"), REQUIRED))
                .startsWith("the client ended the handshake with the alert 'unknown_ca': it does not accept the"
                        + " broker's certificate");
        assertThat(HandshakeFailure.describe(new SSLHandshakeException("Received fatal alert: bad_certificate"),
                REQUIRED)).startsWith("the client ended the handshake with the alert 'bad_certificate': it does not");
    }

    @Test
    void plainTextOnATlsListener() {
        assertThat(HandshakeFailure.describe(new NotSslRecordException("not an SSL/TLS record: 1018000"), REQUIRED))
                .startsWith("the client did not start a TLS handshake");
    }

    @Test
    void closedDuringTheHandshake() {
        assertThat(HandshakeFailure.describe(handshake("Connection closed while SSL/TLS handshake was in progress",
                new ClosedChannelException()), REQUIRED)).startsWith("the client closed the connection during the"
                        + " handshake");
        assertThat(HandshakeFailure.describe(null, REQUIRED)).isEqualTo("the connection closed during the handshake");
    }

    @Test
    void aClientThatBreaksOffWithAPlaintextAlert() {
        // What BoringSSL and the JDK report when mosquitto_pub rejects the broker's certificate.
        assertThat(HandshakeFailure.describe(new SSLHandshakeException(
                "error:10000070:SSL routines:OPENSSL_internal:BAD_PACKET_LENGTH"), REQUIRED))
                .startsWith("the client broke off the handshake, as clients do that do not accept the broker's"
                        + " certificate");
        assertThat(HandshakeFailure.describe(new SSLHandshakeException("Insufficient buffer remaining for AEAD"
                + " cipher fragment (2). Needs to be more than tag size (16)"), REQUIRED))
                .startsWith("the client broke off the handshake");
    }

    @Test
    void anythingElseIsTheEnginesMostSpecificMessage() {
        assertThat(HandshakeFailure.describe(new SSLHandshakeException(
                "error:10000119:SSL routines:OPENSSL_internal:DECRYPTION_FAILED_OR_BAD_RECORD_MAC"), REQUIRED))
                .isEqualTo("error:10000119:SSL routines:OPENSSL_internal:DECRYPTION_FAILED_OR_BAD_RECORD_MAC");
    }
}
