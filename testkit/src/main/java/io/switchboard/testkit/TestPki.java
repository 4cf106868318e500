package io.switchboard.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates made by a test, written as PEM files into a directory, the way a user would hand
 * them to the broker and to clients:
 * <ul>
 *   <li>{@code ca.pem}: a CA the broker trusts for client certificates, which also signs the server's;
 *   <li>{@code server.pem}, {@code server.key}: the broker's certificate for {@code localhost} and
 *       {@code 127.0.0.1} (Subject Alternative Names DNS and IP);
 *   <li>{@code client.pem}, {@code client.key}: a client certificate with CN {@value #CLIENT_NAME};
 *   <li>{@code untrusted-ca.pem}, {@code untrusted-client.pem}, {@code untrusted-client.key}: a second
 *       CA that nobody trusts, and a client certificate (same CN) it signed.
 * </ul>
 * More on request: client certificates with a name and validity of the test's choosing
 * ({@link #issueClient}), other server certificates ({@link #issueServer}), and certificate
 * revocation lists ({@link #crl}, {@link #writeCrls}).
 * Keys are EC P-256, private keys unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), as
 * {@code openssl genpkey} writes them. Certificates are valid from an hour ago for a day. Signing
 * uses the JDK's providers; BouncyCastle only builds and writes the certificates.
 */
public final class TestPki {
    /** The common name of {@link #client()} and {@link #untrustedClient()}. */
    public static final String CLIENT_NAME = "device-42";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong CRL_NUMBER = new AtomicLong();

    /** A certificate, its private key, and where both were written. */
    public record Identity(Path certificate, Path key, X509Certificate x509, PrivateKey privateKey,
            List<X509Certificate> chain) {
    }

    private final Path dir;
    private final Identity ca;
    private final Identity untrustedCa;
    private final Identity server;
    private final Identity client;
    private final Identity untrustedClient;

    private TestPki(Path dir) throws GeneralSecurityException, IOException, OperatorCreationException {
        this.dir = dir;
        this.ca = selfSignedCa("ca", "Switchboard Test CA");
        this.untrustedCa = selfSignedCa("untrusted-ca", "Untrusted Test CA");
        this.server = issueServer("server", ca);
        this.client = issue(ca, "client", CLIENT_NAME, KeyPurposeId.id_kp_clientAuth);
        this.untrustedClient = issue(untrustedCa, "untrusted-client", CLIENT_NAME, KeyPurposeId.id_kp_clientAuth);
    }

    /** Makes every certificate and writes the files into {@code dir}. */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
            return new TestPki(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates: " + e.getMessage(), e);
        }
    }

    /**
     * Makes every certificate in a new temporary directory, removed when the JVM exits (for static
     * fields, which JUnit's {@code @TempDir} does not reach before extensions start).
     */
    public static TestPki create() {
        try {
            Path dir = Files.createTempDirectory("switchboard-pki-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-" + dir.getFileName()));
            return create(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code tls} settings of a broker listener, as inline YAML, with this PKI's server
     * certificate and, unless {@code clientAuth} is {@code none}, {@link #ca()} for client certificates:
     * {@code {certificate: "...", key: "...", clientAuth: required, trustedCertificates: "..."}}.
     */
    public String listenerTls(String clientAuth) {
        String settings = "certificate: \"" + server.certificate() + "\", key: \"" + server.key() + "\"";
        if (!clientAuth.equals("none")) {
            settings += ", clientAuth: " + clientAuth + ", trustedCertificates: \"" + ca.certificate() + "\"";
        }
        return "{" + settings + "}";
    }

    /** The directory holding the files. */
    public Path directory() {
        return dir;
    }

    /** The CA that signed the server's and the trusted client's certificates ({@code ca.pem}). */
    public Identity ca() {
        return ca;
    }

    /** A CA that nobody trusts ({@code untrusted-ca.pem}). */
    public Identity untrustedCa() {
        return untrustedCa;
    }

    /** The broker's certificate: CN localhost, SAN DNS localhost and IP 127.0.0.1. */
    public Identity server() {
        return server;
    }

    /** A client certificate with CN {@value #CLIENT_NAME}, signed by {@link #ca()}. */
    public Identity client() {
        return client;
    }

    /** A client certificate with CN {@value #CLIENT_NAME}, signed by {@link #untrustedCa()}. */
    public Identity untrustedClient() {
        return untrustedClient;
    }

    /**
     * Issues another client certificate signed by {@link #ca()}, written as {@code file}.pem and
     * {@code file}.key.
     *
     * @param commonName the subject CN, or null for a subject without one
     * @param subjectAltNames Subject Alternative Names, e.g. {@code new GeneralName(GeneralName.dNSName, "x")}
     */
    public Identity issueClient(String file, String commonName, GeneralName... subjectAltNames) {
        try {
            return issue(ca, file, commonName, KeyPurposeId.id_kp_clientAuth, subjectAltNames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Issues a client certificate signed by {@link #ca()} valid from {@code notBefore} to
     * {@code notAfter} (both in the past for an expired one), written as {@code file}.pem and
     * {@code file}.key.
     */
    public Identity issueClient(String file, String commonName, Instant notBefore, Instant notAfter) {
        try {
            return issue(ca, file, commonName, KeyPurposeId.id_kp_clientAuth, notBefore, notAfter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Issues another certificate for the broker, like {@link #server()} (CN localhost, SAN DNS
     * localhost and IP 127.0.0.1, signed by {@code issuer}) with a key of its own, written as
     * {@code file}.pem and {@code file}.key: a renewed certificate to reload.
     */
    public Identity issueServer(String file, Identity issuer) {
        try {
            return issue(issuer, file, "localhost", KeyPurposeId.id_kp_serverAuth,
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- certificate revocation lists ----

    /** A CRL of {@code issuer} revoking {@code revoked}, issued an hour ago, next update in a day. */
    public static X509CRL crl(Identity issuer, Identity... revoked) {
        Instant now = Instant.now();
        return crl(issuer, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), revoked);
    }

    /** A CRL of {@code issuer} revoking {@code revoked} (each an hour before {@code thisUpdate}). */
    public static X509CRL crl(Identity issuer, Instant thisUpdate, Instant nextUpdate, Identity... revoked) {
        try {
            X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer.x509().getSubjectX500Principal(), Date.from(thisUpdate))
                    .setNextUpdate(Date.from(nextUpdate))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.x509()))
                    .addExtension(Extension.cRLNumber, false,
                            new CRLNumber(BigInteger.valueOf(CRL_NUMBER.incrementAndGet())));
            for (Identity r : revoked) {
                b.addCRLEntry(r.x509().getSerialNumber(), Date.from(thisUpdate.minus(Duration.ofHours(1))),
                        CRLReason.keyCompromise);
            }
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.privateKey());
            return new JcaX509CRLConverter().getCRL(b.build(signer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a CRL: " + e.getMessage(), e);
        }
    }

    /** Writes CRLs as PEM blocks ({@code BEGIN X509 CRL}), one after another, as {@code file} in {@link #directory()}. */
    public Path writeCrls(String file, X509CRL... crls) {
        StringBuilder text = new StringBuilder();
        try {
            for (X509CRL crl : crls) {
                text.append(pem(crl));
            }
            return Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- for Java clients ----

    /** Trusts {@link #ca()}: for clients that verify the broker's certificate. */
    public TrustManagerFactory trustManagerFactory() {
        return trustManagerFactory(ca);
    }

    /** Trusts the given CA only. */
    public static TrustManagerFactory trustManagerFactory(Identity ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.x509());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Presents {@code identity}'s certificate (and its chain) as a TLS client. */
    public static KeyManagerFactory keyManagerFactory(Identity identity) {
        try {
            char[] password = "test".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", identity.privateKey(), password, identity.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return kmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context trusting {@link #ca()}, presenting {@code identity} (or no certificate when null). */
    public SSLContext clientContext(Identity identity) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(identity == null ? null : keyManagerFactory(identity).getKeyManagers(),
                    trustManagerFactory().getTrustManagers(), RANDOM);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- making certificates ----

    private Identity selfSignedCa(String file, String name) throws GeneralSecurityException, IOException,
            OperatorCreationException {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("O=Switchboard tests,CN=" + name);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = builder(subject, subject, keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(keys.getPublic()));
        X509Certificate cert = sign(b, keys.getPrivate());
        return write(file, cert, keys.getPrivate(), List.of(cert));
    }

    private Identity issue(Identity issuer, String file, String commonName, KeyPurposeId purpose,
            GeneralName... subjectAltNames) throws GeneralSecurityException, IOException, OperatorCreationException {
        Instant now = Instant.now();
        return issue(issuer, file, commonName, purpose, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                subjectAltNames);
    }

    private Identity issue(Identity issuer, String file, String commonName, KeyPurposeId purpose, Instant notBefore,
            Instant notAfter, GeneralName... subjectAltNames)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPair keys = newKeyPair();
        // Encoded O first and CN last, as CAs do: the RFC 2253 form reads "CN=...,O=...".
        X500Name subject = new X500Name(commonName == null ? "O=Switchboard tests,OU=" + file
                : "O=Switchboard tests,CN=" + commonName);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = builder(X500Name.getInstance(issuer.x509().getSubjectX500Principal().getEncoded()),
                subject, keys, notBefore, notAfter)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.x509()));
        if (subjectAltNames.length > 0) {
            // [RFC 5280 4.2.1.6] critical when the subject is empty.
            b.addExtension(Extension.subjectAlternativeName, commonName == null, new GeneralNames(subjectAltNames));
        }
        X509Certificate cert = sign(b, issuer.privateKey());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return write(file, cert, keys.getPrivate(), chain);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return builder(issuer, subject, keys, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant notBefore,
            Instant notAfter) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    /** Writes the certificate (the leaf only: clients and the broker know the CA) and the key. */
    private Identity write(String file, X509Certificate cert, PrivateKey key, List<X509Certificate> chain)
            throws IOException {
        Path certFile = dir.resolve(file + ".pem");
        Path keyFile = dir.resolve(file + ".key");
        Files.writeString(certFile, pem(cert));
        Files.writeString(keyFile, pem(new PemObject("PRIVATE KEY", key.getEncoded())));
        return new Identity(certFile, keyFile, cert, key, List.copyOf(chain));
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }

    @Override
    public String toString() {
        return "TestPki[" + dir + "]";
    }
}
