package io.switchboard.broker.transport;

import io.netty.handler.ssl.NotSslRecordException;
import io.switchboard.broker.config.TlsConfig;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateRevokedException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a TLS handshake failed, for people: the engines' own words ("General OpenSslEngine problem",
 * "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE") say little
 * about what to change. The known cases get a sentence naming the setting involved; the engine's
 * most specific message follows in brackets, so the line can still be searched for.
 */
final class HandshakeFailure {
    /** BoringSSL's name of an alert the client sent (TLSV1_ALERT_UNKNOWN_CA), or the JDK's (Received fatal alert: unknown_ca). */
    private static final Pattern ALERT = Pattern.compile("(?:(?:SSLV3|TLSV1)_ALERT_([A-Z_]+))|(?:Received fatal alert: ([a-z_]+))");

    /** Alerts by which a client says it does not accept the broker's certificate. */
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("unknown_ca", "bad_certificate",
            "certificate_unknown", "certificate_expired", "certificate_revoked", "unsupported_certificate");

    private HandshakeFailure() {
    }

    static String describe(Throwable cause, TlsConfig tls) {
        if (cause == null) {
            return "the connection closed during the handshake";
        }
        String detail = detail(cause);
        String all = messages(cause);
        String reason;
        if (has(cause, NotSslRecordException.class)) {
            reason = "the client did not start a TLS handshake (plain MQTT, or HTTP, sent to a TLS listener?)";
        } else if (has(cause, ClosedChannelException.class) || all.contains("closed while SSL/TLS handshake")) {
            reason = "the client closed the connection during the handshake";
        } else if (all.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || all.contains("Empty client certificate chain")
                || all.contains("null cert chain")) {
            reason = "the client sent no certificate, and this listener requires one (tls.clientAuth: "
                    + tls.clientAuth() + ")";
        } else if (validatorReason(cause) == BasicReason.REVOKED || has(cause, CertificateRevokedException.class)) {
            reason = "the client's certificate is revoked by a CRL in tls.crl";
        } else if (validatorReason(cause) == BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            reason = "tls.crl holds no current CRL of the CA that issued the client's certificate (none from"
                    + " that CA, or it is past its next update), so it cannot be checked";
        } else if (has(cause, CertificateExpiredException.class)) {
            reason = "the client's certificate, or a CA certificate in its chain, has expired";
        } else if (has(cause, CertificateNotYetValidException.class)) {
            reason = "the client's certificate, or a CA certificate in its chain, is not valid yet (check the clocks)";
        } else if (has(cause, CertPathBuilderException.class) || has(cause, CertPathValidatorException.class)
                || all.contains("PKIX path")) {
            reason = "the client's certificate is not signed by a CA in tls.trustedCertificates";
        } else if (all.contains("UNSUPPORTED_PROTOCOL") || all.contains("protocol_version")
                || all.contains("No appropriate protocol") || all.contains("not accepted by server preferences")) {
            reason = "the client and this listener have no TLS version in common; the listener accepts "
                    + String.join(" and ", tls.protocols()) + " (tls.protocols)";
        } else if (all.contains("NO_SHARED_CIPHER") || all.contains("no cipher suites in common")) {
            reason = "the client and this listener have no cipher suite in common";
        } else if (all.contains("BAD_PACKET_LENGTH") || all.contains("AEAD cipher fragment (2)")) {
            // A 2-byte record where an encrypted one belongs: an alert sent in the clear. OpenSSL
            // clients (mosquitto_pub) do this when they reject the broker's certificate.
            reason = "the client broke off the handshake, as clients do that do not accept the broker's"
                    + " certificate (which CA does it trust, and which host name does it connect to?)";
        } else {
            Matcher alert = ALERT.matcher(all);
            if (alert.find()) {
                String name = (alert.group(1) != null ? alert.group(1) : alert.group(2)).toLowerCase(Locale.ROOT);
                reason = "the client ended the handshake with the alert '" + name + "'"
                        + (CERTIFICATE_ALERTS.contains(name)
                                ? ": it does not accept the broker's certificate (which CA does it trust, and"
                                        + " which host name does it connect to?)"
                                : "");
            } else {
                return detail;
            }
        }
        return reason + " [" + detail + "]";
    }

    /** The most specific message in the chain: the deepest one, skipping the engines' generic words. */
    private static String detail(Throwable cause) {
        String best = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.startsWith("General OpenSslEngine problem")) {
                best = m;
            }
        }
        return best != null ? best : cause.getClass().getSimpleName();
    }

    private static String messages(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** The reason of the first CertPathValidatorException in the chain, or null. */
    private static CertPathValidatorException.Reason validatorReason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertPathValidatorException e) {
                return e.getReason();
            }
        }
        return null;
    }

    private static boolean has(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
