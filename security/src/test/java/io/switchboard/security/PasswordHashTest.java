package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The reference implementation's output: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 4 -l 32 -e */
    static final String REFERENCE = "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";

    @Test
    void argon2idAgreesWithTheReferenceImplementation() {
        assertThat(PasswordHash.argon2id(utf8("password"), utf8("somesalt"), 65536, 2, 4)).isEqualTo(REFERENCE);
        assertThat(PasswordHash.verify(REFERENCE, utf8("password"))).isTrue();
        assertThat(PasswordHash.verify(REFERENCE, utf8("passwore"))).isFalse();
    }

    @Test
    void pbkdf2AgreesWithRfc7914() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1), its first 32 bytes.
        assertThat(HexFormat.of().formatHex(PasswordHash.pbkdf2Bytes(utf8("passwd"), utf8("salt"), 1, 32)))
                .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    @Test
    void aFreshHashVerifiesItsPasswordOnlyAndUsesTheDefaults() {
        String argon = PasswordHash.argon2id(utf8("s3cret"));
        assertThat(argon).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHash.verify(argon, utf8("s3cret"))).isTrue();
        assertThat(PasswordHash.verify(argon, utf8("s3cret "))).isFalse();
        assertThat(PasswordHash.argon2id(utf8("s3cret"))).isNotEqualTo(argon); // a fresh salt each time
        String pbkdf2 = PasswordHash.pbkdf2(utf8("s3cret"), utf8("0123456789abcdef"), 1000);
        assertThat(PasswordHash.verify(pbkdf2, utf8("s3cret"))).isTrue();
        assertThat(PasswordHash.verify(pbkdf2, utf8("S3cret"))).isFalse();
        assertThat(PasswordHash.isHash(argon)).isTrue();
        assertThat(PasswordHash.isHash(pbkdf2)).isTrue();
    }

    @Test
    void aCheapHashForBenchmarksCarriesItsIterationsAndVerifies() {
        String cheap = PasswordHash.pbkdf2(utf8("s3cret"), 1);
        assertThat(cheap).startsWith("$pbkdf2-sha256$i=1$");
        assertThat(PasswordHash.isHash(cheap)).isTrue();
        assertThat(PasswordHash.verify(cheap, utf8("s3cret"))).isTrue();
        assertThat(PasswordHash.verify(cheap, utf8("s3cret!"))).isFalse();
        assertThatThrownBy(() -> PasswordHash.pbkdf2(utf8("s3cret"), 0)).hasMessageContaining("at least 1");
    }

    @Test
    void aPasswordInPlainTextIsNotAHash() {
        assertThat(PasswordHash.isHash("s3cret")).isFalse();
        assertThat(PasswordHash.isHash("$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"))
                .isFalse(); // Argon2i, not Argon2id
        assertThatThrownBy(() -> PasswordHash.verify("s3cret", utf8("s3cret")))
                .hasMessageStartingWith("not a password hash: expected $argon2id$");
    }
}
