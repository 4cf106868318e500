package io.switchboard.broker.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.TlsConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds a listener's TLS context from one reading of its PEM files: Netty's native engine where it
 * loads, else the JDK's. The key is read as PKCS#8 ({@link PemPrivateKeys}), so that PKCS#1 and SEC1
 * keys work without BouncyCastle on the class path, and checked against the certificate. Client
 * certificates are verified by the JDK's PKIX validation, with the revocation lists of
 * {@code tls.crl} when there are any.
 */
public final class TlsContexts {
    private static final String KEY_FORMS = "expected PEM: the private key as PKCS#8, PKCS#1 (RSA) or SEC1 (EC),"
            + " encrypted only as PKCS#8 with tls.keyPassword";

    private TlsContexts() {
    }

    /**
     * A listener's TLS as built from one reading of its files.
     *
     * @param revocations the CRLs of {@code tls.crl}, or null without
     * @param warnings things about the files worth a warning (a CRL past its next update...)
     */
    record Built(SslContext context, X509Certificate serverCertificate, Revocations revocations,
            List<String> warnings) {
    }

    /** The engine in use on this platform, for the start-up log. */
    static String engine() {
        return OpenSsl.isAvailable() ? "native " + OpenSsl.versionString() : "JDK (native engine not available: "
                + (OpenSsl.unavailabilityCause() == null ? "unknown" : OpenSsl.unavailabilityCause().getMessage()) + ")";
    }

    /** The HTTP listener's name in messages, which name its {@code http.tls} section. */
    static final String HTTP = "http";

    /** The configuration key of a listener's tls section, for messages: {@code listeners[x].tls}, {@code http.tls}. */
    static String section(String listener) {
        return listener.equals(HTTP) ? "http.tls" : "listeners[" + listener + "].tls";
    }

    /**
     * The context of the HTTP listener's HTTPS ({@code http.tls}): its certificate and key, read now;
     * client certificates as {@code clientAuth} says (the admin API does not use them for sign-in).
     *
     * @throws ConfigException naming the file and what is wrong with it
     */
    public static SslContext httpServer(TlsConfig tls) {
        return build(HTTP, tls, new TlsFiles(HTTP, tls).read(), Instant.now()).context();
    }

    /**
     * Builds the context from {@code files}.
     *
     * @throws ConfigException naming the listener, the key, the file and what is wrong with it
     */
    static Built build(String listener, TlsConfig tls, TlsFiles.Contents files, Instant now) {
        String where = section(listener) + ".";
        X509Certificate[] chain = certificates(where + "certificate", tls.certificate(), files.get("certificate"));
        PrivateKey key = privateKey(where + "key", tls, files.get("key"));
        if (!belongTogether(key, chain[0])) {
            throw new ConfigException(where + "key: the key in '" + tls.key() + "' does not belong to the certificate"
                    + " in '" + tls.certificate() + "' (its first certificate must be the broker's own, the one"
                    + " the key was made for)");
        }
        List<X509Certificate> trusted = tls.trustedCertificates() == null ? null
                : List.of(certificates(where + "trustedCertificates", tls.trustedCertificates(),
                        files.get("trustedCertificates")));
        Revocations crls = tls.crl() == null ? null : Revocations.read(listener, tls.crl(), files.get("crl"), trusted);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain)
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .secureRandom(seededRandom())
                    .protocols(tls.protocols())
                    .clientAuth(switch (tls.clientAuth()) {
                        case "optional" -> ClientAuth.OPTIONAL;
                        case "required" -> ClientAuth.REQUIRE;
                        default -> ClientAuth.NONE;
                    });
            if (trusted != null) {
                b.trustManager(clientTrust(trusted, crls));
            }
            return new Built(b.build(), chain[0], crls, crls == null ? List.of() : crls.warnings(trusted, now));
        } catch (Exception e) {
            throw new ConfigException(section(listener) + ": cannot use the certificate '"
                    + tls.certificate() + "' and key '" + tls.key() + "': " + rootMessage(e));
        }
    }

    /**
     * The JDK's PKIX validation of client certificates against {@code trusted}, as Netty builds it
     * for a CA file; with {@code crls}, revocation is checked too: the client's own certificate must
     * be covered by a current CRL of its issuer in the file and not listed there. Only the file's
     * CRLs are used: no OCSP, and no CRL fetched from a distribution point (the JDK fetches none
     * unless {@code com.sun.security.enableCRLDP} is set).
     */
    static TrustManagerFactory clientTrust(List<X509Certificate> trusted, Revocations crls)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            anchors.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        if (crls == null) {
            tmf.init(anchors);
            return tmf;
        }
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls.all())));
        params.setRevocationEnabled(true);
        PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX")
                .getRevocationChecker();
        // CRLs, not OCSP, and no other source when a CRL does not answer: the broker may be offline.
        revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                PKIXRevocationChecker.Option.NO_FALLBACK, PKIXRevocationChecker.Option.ONLY_END_ENTITY));
        params.addCertPathChecker(revocation);
        tmf.init(new CertPathTrustManagerParameters(params));
        return tmf;
    }

    private static X509Certificate[] certificates(String key, String file, byte[] pem) {
        X509Certificate[] certs;
        try {
            certs = NettyPem.certificates(pem);
        } catch (Exception e) {
            throw new ConfigException(key + ": '" + file + "': " + rootMessage(e) + " (expected PEM certificates)");
        }
        if (certs.length == 0) {
            throw new ConfigException(key + ": '" + file + "' holds no certificate (expected PEM blocks"
                    + " 'BEGIN CERTIFICATE')");
        }
        return certs;
    }

    private static PrivateKey privateKey(String key, TlsConfig tls, byte[] pem) {
        String pkcs8;
        try {
            pkcs8 = PemPrivateKeys.toPkcs8(new String(pem, StandardCharsets.ISO_8859_1));
        } catch (PemPrivateKeys.UnsupportedKeyException e) {
            throw new ConfigException(key + ": '" + tls.key() + "': " + e.getMessage());
        }
        try {
            return NettyPem.privateKey(pkcs8, tls.keyPassword());
        } catch (Exception e) {
            throw new ConfigException(key + ": '" + tls.key() + "': " + rootMessage(e) + " (" + KEY_FORMS + ")");
        }
    }

    /**
     * Whether {@code key} signs what {@code cert}'s public key verifies; true for a kind of key not
     * known here. By the certificate's algorithm: Netty reads the key with BouncyCastle when that is
     * on the class path, which names an EC key "ECDSA".
     */
    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (cert.getPublicKey().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null || key.getEncoded() == null) {
            return true; // the engine finds out at the first handshake
        }
        try {
            byte[] challenge = "does this key belong to this certificate".getBytes(StandardCharsets.US_ASCII);
            // The JDK's own form of the key: its providers refuse BouncyCastle's "ECDSA" keys.
            PrivateKey jdkKey = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            Signature s = Signature.getInstance(algorithm);
            s.initSign(jdkKey);
            s.update(challenge);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(challenge);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // an RSA key with an EC certificate, for example
        }
    }

    /**
     * The JDK engine's randomness (the native engine has its own): a DRBG seeded here, at start-up,
     * because the default one reads /dev/urandom during handshakes, on the event loop.
     */
    private static SecureRandom seededRandom() {
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            r = new SecureRandom();
        }
        r.nextBytes(new byte[1]);
        return r;
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
