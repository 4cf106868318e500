package io.switchboard.broker.config;

import java.util.List;

/**
 * TLS of a {@code tls} or {@code wss} listener: the server's certificate chain and key (PEM files),
 * whether clients present certificates, verified against a CA bundle and revocation lists, and how
 * often the files are checked for a change.
 *
 * @param certificate PEM file with the server certificate, then its intermediates
 * @param key PEM file with the server's private key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC); encrypted only as
 *     PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}) with {@code keyPassword}
 * @param keyPassword the key's password, or null when it is not encrypted
 * @param clientAuth {@code none} (default), {@code optional} or {@code required}
 * @param trustedCertificates PEM bundle of the CAs client certificates must chain to; required
 *     unless {@code clientAuth} is {@code none}
 * @param protocols TLS versions accepted; default {@code [TLSv1.3, TLSv1.2]}
 * @param identity where a client certificate's authentication name comes from, first present wins:
 *     {@code cn} (subject common name), {@code dn} (the whole subject), {@code san-dns},
 *     {@code san-uri}, {@code san-ip}, {@code san-email}; default {@code [cn]}
 * @param crl PEM or DER file of certificate revocation lists that client certificates are checked
 *     against; only with {@code clientAuth} optional or required
 * @param reloadCheckSeconds how often the files are checked for a change (and reloaded when one
 *     changed); 0 never; default 10
 * @param closeRevoked whether a connection whose client certificate a reloaded {@code crl} revokes is
 *     closed (default true), or stays up with only new handshakes refused
 */
public record TlsConfig(String certificate, String key, String keyPassword, String clientAuth,
        String trustedCertificates, List<String> protocols, List<String> identity, String crl,
        Integer reloadCheckSeconds, Boolean closeRevoked) {
    public static final List<String> CLIENT_AUTH = List.of("none", "optional", "required");
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final int DEFAULT_RELOAD_CHECK_SECONDS = 10;
    public static final List<String> IDENTITY_SOURCES = List.of("cn", "dn", "san-dns", "san-uri", "san-ip",
            "san-email");

    public TlsConfig {
        if (certificate == null || certificate.isBlank()) {
            throw new ConfigException("tls.certificate is missing: the PEM file with the server certificate chain");
        }
        if (key == null || key.isBlank()) {
            throw new ConfigException("tls.key is missing: the PEM file with the server's private key");
        }
        clientAuth = clientAuth == null ? "none" : clientAuth;
        if (!CLIENT_AUTH.contains(clientAuth)) {
            throw ConfigException.badValue("tls.clientAuth", clientAuth, "one of " + CLIENT_AUTH);
        }
        if (!clientAuth.equals("none") && (trustedCertificates == null || trustedCertificates.isBlank())) {
            throw new ConfigException("tls.trustedCertificates is missing: clientAuth '" + clientAuth
                    + "' needs the PEM bundle of the CAs that client certificates must chain to");
        }
        if (crl != null && crl.isBlank()) {
            crl = null;
        }
        if (crl != null && clientAuth.equals("none")) {
            throw new ConfigException("tls.crl is set but tls.clientAuth is 'none': revocation lists check client"
                    + " certificates, so set clientAuth to optional or required, or remove tls.crl");
        }
        reloadCheckSeconds = Check.range("tls.reloadCheckSeconds", reloadCheckSeconds, DEFAULT_RELOAD_CHECK_SECONDS,
                0, 86_400);
        closeRevoked = closeRevoked == null || closeRevoked;
        protocols = protocols == null || protocols.isEmpty() ? PROTOCOLS : List.copyOf(protocols);
        for (String p : protocols) {
            if (!PROTOCOLS.contains(p)) {
                throw ConfigException.badValue("tls.protocols", p, "one of " + PROTOCOLS);
            }
        }
        identity = identity == null || identity.isEmpty() ? List.of("cn") : List.copyOf(identity);
        for (String s : identity) {
            if (!IDENTITY_SOURCES.contains(s)) {
                throw ConfigException.badValue("tls.identity", s, "one of " + IDENTITY_SOURCES);
            }
        }
    }
}
