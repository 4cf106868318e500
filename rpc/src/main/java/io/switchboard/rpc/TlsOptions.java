package io.switchboard.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the broker: which certificate authorities to trust (the system's unless a PEM file is
 * given) and, for brokers that ask for one, a client certificate with its private key (PEM files,
 * the key unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}). Immutable.
 */
public final class TlsOptions {
    private final Path trustedCertificates;
    private final Path certificate;
    private final Path key;
    private final boolean verifyHostname;

    private TlsOptions(Path trustedCertificates, Path certificate, Path key, boolean verifyHostname) {
        this.trustedCertificates = trustedCertificates;
        this.certificate = certificate;
        this.key = key;
        this.verifyHostname = verifyHostname;
    }

    /** Trusts the certificate authorities of the Java runtime. */
    public static TlsOptions systemTrust() {
        return new TlsOptions(null, null, null, true);
    }

    /** Trusts the certificates in {@code caPemFile} (one or more, PEM) instead of the runtime's. */
    public static TlsOptions trusting(Path caPemFile) {
        return new TlsOptions(caPemFile, null, null, true);
    }

    /** Presents this client certificate (PEM, its chain may follow) and its private key (PEM, PKCS#8). */
    public TlsOptions withClientCertificate(Path certificatePem, Path keyPem) {
        return new TlsOptions(trustedCertificates, certificatePem, keyPem, verifyHostname);
    }

    /**
     * Whether the broker's certificate must name the host connected to (default true). Turn it off
     * only for tests against a broker whose certificate names another host.
     */
    public TlsOptions withHostnameVerification(boolean verify) {
        return new TlsOptions(trustedCertificates, certificate, key, verify);
    }

    boolean verifyHostname() {
        return verifyHostname;
    }

    /** The trust managers, or null for the runtime's defaults. */
    TrustManagerFactory trustManagerFactory() {
        if (trustedCertificates == null) {
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates(trustedCertificates)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use " + trustedCertificates + " as trusted certificates: "
                    + e.getMessage(), e);
        }
    }

    /** The key managers for the client certificate, or null when there is none. */
    KeyManagerFactory keyManagerFactory() {
        if (certificate == null) {
            return null;
        }
        try {
            List<Certificate> chain = certificates(certificate);
            PrivateKey privateKey = privateKey(key);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("client", privateKey, none, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            return kmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the client certificate " + certificate + " with key " + key
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(pem)) {
            throw new IOException("no readable file " + pem);
        }
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> all = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (all.isEmpty()) {
                throw new GeneralSecurityException("no certificate in the file");
            }
            return all;
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(pem)) {
            throw new IOException("no readable file " + pem);
        }
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            throw new GeneralSecurityException("the key must be unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY); convert"
                    + " with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the key is neither EC, RSA nor Ed25519");
    }
}
