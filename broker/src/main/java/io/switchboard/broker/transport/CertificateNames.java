package io.switchboard.broker.transport;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The authentication name a client certificate carries: the first of the configured sources that
 * is present (subject CN, the whole subject DN, or a Subject Alternative Name of a kind).
 */
final class CertificateNames {
    private CertificateNames() {
    }

    static String name(X509Certificate cert, List<String> sources) {
        for (String source : sources) {
            String v = switch (source) {
                case "cn" -> commonName(cert);
                case "dn" -> cert.getSubjectX500Principal().getName();
                case "san-dns" -> san(cert, 2);
                case "san-uri" -> san(cert, 6);
                case "san-ip" -> san(cert, 7);
                case "san-email" -> san(cert, 1);
                default -> null;
            };
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static String commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // most specific first
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String san(X509Certificate cert, int type) {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return null;
            }
            for (List<?> n : names) {
                if (n.size() >= 2 && n.get(0) instanceof Integer t && t == type) {
                    return String.valueOf(n.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            return null;
        }
        return null;
    }
}
