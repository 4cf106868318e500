package io.switchboard.broker.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.TlsConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a listener's TLS context from its PEM files: Netty's native engine where it loads, else the JDK's. */
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
        File key = readable(listener, "key", tls.key());
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert, key, tls.keyPassword())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols(tls.protocols())
                    .clientAuth(switch (tls.clientAuth()) {
                        case "optional" -> ClientAuth.OPTIONAL;
                        case "required" -> ClientAuth.REQUIRE;
                        default -> ClientAuth.NONE;
                    });
            if (tls.trustedCertificates() != null) {
                b.trustManager(readable(listener, "trustedCertificates", tls.trustedCertificates()));
            }
            return b.build();
        } catch (Exception e) {
            throw new ConfigException("listeners[" + listener + "].tls: cannot use the certificate '"
                    + tls.certificate() + "' and key '" + tls.key() + "': " + rootMessage(e)
                    + " (PEM files expected: the certificate chain, and a PKCS#8 or PKCS#1 key)");
        }
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
