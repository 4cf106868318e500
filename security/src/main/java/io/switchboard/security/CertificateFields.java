package io.switchboard.security;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The fields of a client certificate that registry rules match and derive attributes from: the
 * attributes of its subject and of its issuer by type ({@code CN}, {@code O}, {@code OU}, {@code C},
 * ...; the most specific one when a type repeats) and its serial number in hex.
 */
record CertificateFields(Map<String, String> subject, Map<String, String> issuer, String serialNumber) {

    static CertificateFields of(X509Certificate cert) {
        return new CertificateFields(parse(cert.getSubjectX500Principal()), parse(cert.getIssuerX500Principal()),
                cert.getSerialNumber().toString(16));
    }

    /** A field by its name in a rule: {@code subject.CN}, {@code issuer.O}, {@code serialNumber}; null when absent. */
    String field(String name) {
        if (name.equals("serialNumber")) {
            return serialNumber;
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String part = name.substring(0, dot);
        String type = name.substring(dot + 1).toUpperCase(Locale.ROOT);
        return switch (part) {
            case "subject" -> subject.get(type);
            case "issuer" -> issuer.get(type);
            default -> null;
        };
    }

    private static Map<String, String> parse(X500Principal principal) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            List<Rdn> rdns = new LdapName(principal.getName(X500Principal.RFC2253)).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // most specific first: it wins a repeated type
                out.putIfAbsent(rdns.get(i).getType().toUpperCase(Locale.ROOT), String.valueOf(rdns.get(i).getValue()));
            }
        } catch (InvalidNameException e) {
            return Map.of();
        }
        return out;
    }
}
