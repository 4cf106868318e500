package io.switchboard.broker.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Builds a listener's TLS context from its PEM files: Netty's native engine where it loads, else the
 * JDK's. The key is handed over as PKCS#8 ({@link PemPrivateKeys}), so that PKCS#1 and SEC1 keys
 * work without BouncyCastle on the class path.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    /** The engine in use on this platform, for the start-up log. */
    static String engine() {
        return OpenSsl.isAvailable() ? "native " + OpenSsl.versionString() : "JDK (native engine not available: "
                + (OpenSsl.unavailabilityCause() == null ? "unknown" : OpenSsl.unavailabilityCause().getMessage()) + ")";
    }

    static SslContext build(String listener, TlsConfig tls) {
        File cert = readable(listener, "certificate", tls.certificate());
        File keyFile = readable(listener, "key", tls.key());
        File trusted = tls.trustedCertificates() == null ? null
                : readable(listener, "trustedCertificates", tls.trustedCertificates());
        String key;
        try {
            key = PemPrivateKeys.toPkcs8(Files.readString(keyFile.toPath(), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new ConfigException("listeners[" + listener + "].tls.key: cannot read '" + tls.key() + "': "
                    + rootMessage(e));
        } catch (PemPrivateKeys.UnsupportedKeyException e) {
            throw new ConfigException("listeners[" + listener + "].tls.key: '" + tls.key() + "': " + e.getMessage());
        }
        try (InputStream certIn = Files.newInputStream(cert.toPath());
                InputStream keyIn = new ByteArrayInputStream(key.getBytes(StandardCharsets.US_ASCII))) {
            SslContextBuilder b = SslContextBuilder.forServer(certIn, keyIn, tls.keyPassword())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .secureRandom(seededRandom())
                    .protocols(tls.protocols())
                    .clientAuth(switch (tls.clientAuth()) {
                        case "optional" -> ClientAuth.OPTIONAL;
                        case "required" -> ClientAuth.REQUIRE;
                        default -> ClientAuth.NONE;
                    });
            if (trusted != null) {
                b.trustManager(trusted);
            }
            return b.build();
        } catch (Exception e) {
            throw new ConfigException("listeners[" + listener + "].tls: cannot use the certificate '"
                    + tls.certificate() + "' and key '" + tls.key() + "': " + rootMessage(e)
                    + " (expected PEM files: the certificate chain, server first; the private key as PKCS#8,"
                    + " PKCS#1 (RSA) or SEC1 (EC), encrypted only as PKCS#8 with tls.keyPassword)");
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

    private static File readable(String listener, String key, String file) {
        Path p = Path.of(file);
        if (!Files.isReadable(p)) {
            throw new ConfigException("listeners[" + listener + "].tls." + key + ": file '" + file
                    + "' does not exist or cannot be read");
        }
        return p.toFile();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
