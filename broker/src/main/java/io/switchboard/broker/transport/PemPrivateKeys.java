package io.switchboard.broker.transport;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM private key as PKCS#8, the one form the TLS engines read without BouncyCastle: PKCS#8
 * ({@code BEGIN PRIVATE KEY}, {@code BEGIN ENCRYPTED PRIVATE KEY}) is kept as it is; the
 * "traditional" OpenSSL forms that {@code openssl genrsa} (before 3.0) and {@code openssl ecparam
 * -genkey} write, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}),
 * are wrapped in a PKCS#8 PrivateKeyInfo (RFC 5208 section 5) naming their algorithm.
 */
final class PemPrivateKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters. */
    private static final byte[] RSA_ALGORITHM = der(0x30, concat(
            new byte[] {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01},
            new byte[] {0x05, 0x00}));
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private PemPrivateKeys() {
    }

    /** Thrown with a message for people: what is wrong with the key file and what to do. */
    static final class UnsupportedKeyException extends Exception {
        UnsupportedKeyException(String message) {
            super(message, null, false, false);
        }
    }

    /** The key of a PEM file's text as PKCS#8 PEM text. */
    static String toPkcs8(String pem) throws UnsupportedKeyException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String label = m.group(1);
            switch (label) {
                case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> {
                    return m.group();
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    String body = m.group(2);
                    if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
                        throw new UnsupportedKeyException("the key is encrypted in the legacy OpenSSL form ('" + label
                                + "' with a DEK-Info header); convert it to encrypted PKCS#8 with: openssl pkcs8"
                                + " -topk8 -in OLD.key -out NEW.key (and set tls.keyPassword)");
                    }
                    byte[] der = Base64.getMimeDecoder().decode(body.strip());
                    byte[] pkcs8 = label.startsWith("RSA") ? fromPkcs1(der) : fromSec1(der);
                    return "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                            + "\n-----END PRIVATE KEY-----\n";
                }
                default -> {
                    // EC PARAMETERS (written before the key by openssl ecparam), a certificate...: skip.
                }
            }
        }
        throw new UnsupportedKeyException("no private key found: expected a PEM block 'BEGIN PRIVATE KEY',"
                + " 'BEGIN ENCRYPTED PRIVATE KEY', 'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY'");
    }

    /** PrivateKeyInfo { 0, rsaEncryption, RSAPrivateKey }. */
    private static byte[] fromPkcs1(byte[] rsaPrivateKey) {
        return der(0x30, concat(VERSION_0, RSA_ALGORITHM, der(0x04, rsaPrivateKey)));
    }

    /**
     * PrivateKeyInfo { 0, { id-ecPublicKey, namedCurve }, ECPrivateKey }: the curve comes from the
     * SEC1 key's own parameters (RFC 5915 section 3: ECPrivateKey ::= SEQUENCE { version,
     * privateKey OCTET STRING, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }).
     */
    private static byte[] fromSec1(byte[] ecPrivateKey) throws UnsupportedKeyException {
        Der key = new Der(ecPrivateKey, 0);
        if (key.tag != 0x30) {
            throw new UnsupportedKeyException("the EC PRIVATE KEY is not a DER sequence");
        }
        int at = key.valueStart;
        byte[] curve = null;
        while (at < key.end) {
            Der field = new Der(ecPrivateKey, at);
            if (field.tag == 0xA0) {
                Der oid = new Der(ecPrivateKey, field.valueStart);
                if (oid.tag == 0x06) {
                    curve = Arrays.copyOfRange(ecPrivateKey, field.valueStart, oid.end);
                }
            }
            at = field.end;
        }
        if (curve == null) {
            throw new UnsupportedKeyException("the EC PRIVATE KEY does not name its curve; write it as PKCS#8 with:"
                    + " openssl pkcs8 -topk8 -nocrypt -in OLD.key -out NEW.key");
        }
        return der(0x30, concat(VERSION_0, der(0x30, concat(EC_PUBLIC_KEY, curve)), der(0x04, ecPrivateKey)));
    }

    /** One DER element: tag, where its value starts, where it ends. */
    private static final class Der {
        final int tag;
        final int valueStart;
        final int end;

        Der(byte[] b, int at) throws UnsupportedKeyException {
            if (at + 2 > b.length) {
                throw new UnsupportedKeyException("the key's DER encoding is truncated");
            }
            tag = b[at] & 0xFF;
            int len = b[at + 1] & 0xFF;
            int p = at + 2;
            if (len > 0x7F) {
                int n = len & 0x7F;
                if (n > 3 || p + n > b.length) {
                    throw new UnsupportedKeyException("the key's DER encoding has a bad length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[p++] & 0xFF);
                }
            }
            valueStart = p;
            end = p + len;
            if (end > b.length) {
                throw new UnsupportedKeyException("the key's DER encoding is truncated");
            }
        }
    }

    private static byte[] der(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
