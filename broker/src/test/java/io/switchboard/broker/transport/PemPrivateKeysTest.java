package io.switchboard.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Traditional OpenSSL keys become PKCS#8. The fixtures in {@code tls-keys/} were written by
 * openssl 3: {@code genrsa -traditional} and {@code ecparam -genkey} (the EC PARAMETERS block
 * first), and {@code pkcs8 -topk8 -nocrypt} of each as the expected result.
 */
class PemPrivateKeysTest {

    static String fixture(String name) throws Exception {
        return Files.readString(Path.of(PemPrivateKeysTest.class.getResource("/tls-keys/" + name).toURI()),
                StandardCharsets.US_ASCII);
    }

    static PrivateKey decode(String pkcs8Pem, String algorithm) throws Exception {
        String base64 = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rsa-pkcs1.key, rsa-pkcs8.key, RSA", "ec-sec1.key, ec-pkcs8.key, EC"})
    void traditionalKeyBecomesTheSamePkcs8KeyAsOpensslWrites(String traditional, String pkcs8, String algorithm)
            throws Exception {
        String converted = PemPrivateKeys.toPkcs8(fixture(traditional));
        assertThat(converted).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        PrivateKey got = decode(converted, algorithm);
        PrivateKey expected = decode(fixture(pkcs8), algorithm);
        if (got instanceof ECPrivateKey ec) {
            // The same secret on the same curve (openssl leaves the curve out of the inner key; we keep it).
            assertThat(ec.getS()).isEqualTo(((ECPrivateKey) expected).getS());
            assertThat(ec.getParams().toString()).isEqualTo(((ECPrivateKey) expected).getParams().toString());
        } else {
            assertThat(got).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"rsa-pkcs8.key", "ec-pkcs8.key"})
    void pkcs8IsKeptAsItIs(String file) throws Exception {
        assertThat(PemPrivateKeys.toPkcs8(fixture(file))).isEqualTo(fixture(file).strip());
    }

    @Test
    void legacyEncryptedKeyIsRefusedWithTheCommandThatConvertsIt() {
        assertThatThrownBy(() -> PemPrivateKeys.toPkcs8(fixture("rsa-pkcs1-encrypted.key")))
                .isInstanceOf(PemPrivateKeys.UnsupportedKeyException.class)
                .hasMessageContaining("legacy OpenSSL form")
                .hasMessageContaining("openssl pkcs8 -topk8 -in OLD.key -out NEW.key (and set tls.keyPassword)");
    }

    @Test
    void aFileWithoutAKeySaysWhatWasExpected() {
        assertThatThrownBy(() -> PemPrivateKeys.toPkcs8(fixture("rsa.pem")))
                .isInstanceOf(PemPrivateKeys.UnsupportedKeyException.class)
                .hasMessageStartingWith("no private key found: expected a PEM block 'BEGIN PRIVATE KEY'");
    }
}
