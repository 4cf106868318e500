package io.switchboard.broker.transport;

import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.io.IOException;

/**
 * Netty's own PEM readers, the ones {@code SslContextBuilder} applies to files: protected in
 * {@link SslContext}, reached from this subclass, which is never instantiated. The broker reads the
 * certificates and the key once with them, checks the pair, and hands the objects to the builder,
 * so what is checked is exactly what the engine gets.
 */
abstract class NettyPem extends SslContext {
    private NettyPem() {
    }

    /** The certificates of a PEM text, in order. */
    static X509Certificate[] certificates(byte[] pem) throws CertificateException {
        return toX509Certificates(new ByteArrayInputStream(pem));
    }

    /** A PKCS#8 private key ({@link PemPrivateKeys#toPkcs8}), decrypted with {@code password} if encrypted. */
    static PrivateKey privateKey(String pkcs8Pem, String password) throws GeneralSecurityException, IOException {
        return toPrivateKey(new ByteArrayInputStream(pkcs8Pem.getBytes(StandardCharsets.US_ASCII)), password);
    }
}
