package io.switchboard.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule of the client registry that registers a whole population of certificates at once (the
 * cameras of one factory CA, say) instead of one entry per device: a client whose certificate's
 * issuer and subject match the rule's patterns is registered under the name taken from its
 * certificate, enabled or disabled as the rule says, with the rule's attributes, which may be taken
 * from certificate fields ({@code ${certificate.subject.OU}}). Patterns compare one attribute of the
 * distinguished name each ({@code CN}, {@code O}, {@code OU}...), case-sensitively, with {@code *}
 * standing for any run of characters; every pattern of a rule must match.
 */
final class CertificateRule {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{certificate\\.([A-Za-z]+(?:\\.[A-Za-z]+)?)}");

    private final String name;
    private final Map<String, Pattern> issuer;
    private final Map<String, Pattern> subject;
    private final boolean enabled;
    private final Map<String, Object> attributes;

    /**
     * @param issuer patterns by attribute type of the issuer DN
     * @param subject patterns by attribute type of the subject DN
     * @param attributes values: strings (with {@code ${certificate.<field>}}), integers, lists of strings
     * @throws IllegalArgumentException naming what is wrong
     */
    CertificateRule(String name, Map<String, String> issuer, Map<String, String> subject, boolean enabled,
            Map<String, Object> attributes) {
        this.name = Objects.requireNonNull(name, "name");
        if (issuer.isEmpty() && subject.isEmpty()) {
            throw new IllegalArgumentException("a rule needs an issuer or a subject pattern, or it would register"
                    + " every certificate the listener trusts");
        }
        this.issuer = patterns(issuer);
        this.subject = patterns(subject);
        this.enabled = enabled;
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            for (String text : texts(a.getValue())) {
                Matcher m = VARIABLE.matcher(text);
                while (m.find()) {
                    String field = m.group(1);
                    if (!field.equals("serialNumber") && !field.startsWith("subject.") && !field.startsWith("issuer.")) {
                        throw new IllegalArgumentException("attribute '" + a.getKey() + "': unknown field '" + field
                                + "'; allowed ${certificate.subject.<type>}, ${certificate.issuer.<type>},"
                                + " ${certificate.serialNumber}");
                    }
                }
                String rest = VARIABLE.matcher(text).replaceAll("");
                if (rest.contains("${")) {
                    throw new IllegalArgumentException("attribute '" + a.getKey() + "': '" + text + "' has a variable"
                            + " that is not ${certificate.subject.<type>}, ${certificate.issuer.<type>} or"
                            + " ${certificate.serialNumber}");
                }
            }
        }
        this.attributes = Map.copyOf(attributes);
    }

    String name() {
        return name;
    }

    boolean enabled() {
        return enabled;
    }

    boolean matches(CertificateFields cert) {
        return all(issuer, cert.issuer()) && all(subject, cert.subject());
    }

    /**
     * The rule's attributes for this certificate; an attribute whose field the certificate lacks is
     * left out (so that a group query or a template on it matches nothing), never filled with an
     * empty value.
     */
    Map<String, Object> attributes(CertificateFields cert) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            Object v = a.getValue();
            if (v instanceof String s) {
                String filled = fill(s, cert);
                if (filled != null) {
                    out.put(a.getKey(), filled);
                }
            } else if (v instanceof List<?> list) {
                List<String> filled = new ArrayList<>();
                for (Object e : list) {
                    String f = fill((String) e, cert);
                    if (f != null) {
                        filled.add(f);
                    }
                }
                out.put(a.getKey(), List.copyOf(filled));
            } else {
                out.put(a.getKey(), v);
            }
        }
        return out;
    }

    private static String fill(String text, CertificateFields cert) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = cert.field(m.group(1));
            if (value == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> texts(Object v) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    private static boolean all(Map<String, Pattern> patterns, Map<String, String> dn) {
        for (Map.Entry<String, Pattern> p : patterns.entrySet()) {
            String value = dn.get(p.getKey());
            if (value == null || !p.getValue().matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Pattern> patterns(Map<String, String> globs) {
        Map<String, Pattern> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> g : globs.entrySet()) {
            String regex = java.util.Arrays.stream(g.getValue().split("\\*", -1)).map(Pattern::quote)
                    .collect(java.util.stream.Collectors.joining(".*"));
            out.put(g.getKey().toUpperCase(Locale.ROOT), Pattern.compile(regex, Pattern.DOTALL));
        }
        return out;
    }
}
