package io.switchboard.broker.transport;

import io.switchboard.broker.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * The certificate revocation lists of a listener's {@code tls.crl}, read from one version of the
 * file: what the handshake's PKIX validation checks client certificates against, and what tells
 * whether an open connection's certificate is revoked when a new version of the file is loaded.
 *
 * <p>Immutable once read; {@link #revoked} may be called from any thread.
 */
final class Revocations {
    /** One CRL, and the keys its signature is known to be good with. */
    private static final class Crl {
        final X509CRL crl;
        /** Signed by a CA in {@code trustedCertificates}: checked when read. */
        boolean signedByTrustedCa;
        /** Keys of intermediate CAs from connections' chains that it was checked against. */
        final Set<PublicKey> checkedWith = ConcurrentHashMap.newKeySet();

        Crl(X509CRL crl) {
            this.crl = crl;
        }
    }

    private final List<X509CRL> all;
    private final Map<X500Principal, List<Crl>> byIssuer = new HashMap<>();

    private Revocations(List<X509CRL> crls) {
        this.all = List.copyOf(crls);
        for (X509CRL crl : crls) {
            byIssuer.computeIfAbsent(crl.getIssuerX500Principal(), k -> new ArrayList<>()).add(new Crl(crl));
        }
    }

    /**
     * Reads every CRL of a file (PEM blocks {@code BEGIN X509 CRL}, or DER, one or several) and checks
     * the signature of each one issued by a CA in {@code trusted}. A CRL of another issuer (an
     * intermediate CA that clients send in their chains) is kept: the handshake's validation checks
     * it against the chain.
     *
     * @throws ConfigException naming the listener, the file and what is wrong
     */
    static Revocations read(String listener, String file, byte[] content, List<X509Certificate> trusted) {
        String where = TlsContexts.section(listener) + ".crl: '" + file + "': ";
        List<X509CRL> crls = new ArrayList<>();
        try {
            Collection<? extends CRL> read = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(content));
            for (CRL c : read) {
                crls.add((X509CRL) c);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConfigException(where + "not a certificate revocation list: " + TlsContexts.rootMessage(e)
                    + " (expected PEM blocks 'BEGIN X509 CRL', or DER)");
        }
        if (crls.isEmpty()) {
            throw new ConfigException(where + "holds no certificate revocation list (expected PEM blocks"
                    + " 'BEGIN X509 CRL', or DER)");
        }
        Revocations r = new Revocations(crls);
        for (List<Crl> sameIssuer : r.byIssuer.values()) {
            for (Crl c : sameIssuer) {
                List<X509Certificate> cas = trusted.stream()
                        .filter(ca -> ca.getSubjectX500Principal().equals(c.crl.getIssuerX500Principal())).toList();
                if (cas.isEmpty()) {
                    continue;
                }
                if (cas.stream().noneMatch(ca -> verifies(c.crl, ca.getPublicKey()))) {
                    throw new ConfigException(where + "the CRL of '" + c.crl.getIssuerX500Principal().getName()
                            + "' is not signed by the key of that CA in tls.trustedCertificates");
                }
                c.signedByTrustedCa = true;
            }
        }
        return r;
    }

    /** Every CRL, for the validation's CertStore. */
    List<X509CRL> all() {
        return all;
    }

    /**
     * Things worth a warning, for people: CRLs past their next update (a PKIX validation no longer
     * uses them, so the certificates they cover are refused) and trusted CAs with no CRL.
     */
    List<String> warnings(List<X509Certificate> trusted, Instant now) {
        List<String> out = new ArrayList<>();
        for (X509CRL crl : all) {
            if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now)) {
                out.add("the CRL of '" + crl.getIssuerX500Principal().getName() + "' was due to be replaced on "
                        + crl.getNextUpdate().toInstant() + ": client certificates that CA issued are refused until"
                        + " tls.crl holds a current one");
            }
        }
        List<String> without = trusted.stream().map(X509Certificate::getSubjectX500Principal)
                .filter(p -> !byIssuer.containsKey(p)).map(p -> "'" + p.getName() + "'").distinct().toList();
        if (!without.isEmpty()) {
            out.add("tls.crl holds no CRL of " + String.join(", ", without) + " (in tls.trustedCertificates):"
                    + " client certificates issued directly by " + (without.size() == 1 ? "that CA" : "those CAs")
                    + " are refused");
        }
        return out;
    }

    /**
     * The entry revoking {@code certificate}, or null: found in a CRL of its issuer whose signature
     * is good, checked when read (a CA in {@code trustedCertificates}) or now with {@code issuer}
     * (the next certificate of the client's chain, or null). A revocation is final, so a CRL past its
     * next update still counts here.
     */
    X509CRLEntry revoked(X509Certificate certificate, X509Certificate issuer) {
        List<Crl> candidates = byIssuer.get(certificate.getIssuerX500Principal());
        if (candidates == null) {
            return null;
        }
        for (Crl c : candidates) {
            X509CRLEntry entry = c.crl.getRevokedCertificate(certificate);
            if (entry != null && signedBy(c, issuer)) {
                return entry;
            }
        }
        return null;
    }

    private static boolean signedBy(Crl c, X509Certificate issuer) {
        if (c.signedByTrustedCa) {
            return true;
        }
        if (issuer == null || !issuer.getSubjectX500Principal().equals(c.crl.getIssuerX500Principal())) {
            return false;
        }
        PublicKey key = issuer.getPublicKey();
        if (c.checkedWith.contains(key)) {
            return true;
        }
        if (verifies(c.crl, key)) {
            c.checkedWith.add(key);
            return true;
        }
        return false;
    }

    private static boolean verifies(X509CRL crl, PublicKey key) {
        try {
            crl.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
