package io.switchboard.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes as PHC strings, the only form in which the broker keeps a password:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (the default: Argon2id with OWASP's
 * parameters, 19 MiB, 2 passes, 1 lane) or {@code $pbkdf2-sha256$i=600000$<salt>$<hash>}, salt and
 * hash in unpadded base64. {@link #verify} compares in constant time.
 */
public final class PasswordHash {
    /** Argon2id memory in KiB (19 MiB), passes and lanes: OWASP's first recommendation. */
    public static final int ARGON2_MEMORY_KIB = 19 * 1024;
    public static final int ARGON2_PASSES = 2;
    public static final int ARGON2_LANES = 1;
    /** PBKDF2-HMAC-SHA256 iterations: OWASP's recommendation. */
    public static final int PBKDF2_ITERATIONS = 600_000;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern ARGON2 = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,4}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
    private static final Pattern PBKDF2 = Pattern.compile(
            "\\$pbkdf2-sha256\\$i=(\\d{1,9})\\$([A-Za-z0-9+/.]{11,})\\$([A-Za-z0-9+/.]{22,})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** An Argon2id hash of {@code password} with a fresh salt and the default parameters. */
    public static String argon2id(byte[] password) {
        return argon2id(password, salt(), ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES);
    }

    static String argon2id(byte[] password, byte[] salt, int memoryKib, int passes, int lanes) {
        byte[] hash = argon2(password, salt, memoryKib, passes, lanes, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + passes + ",p=" + lanes + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(hash);
    }

    /** A PBKDF2-HMAC-SHA256 hash of {@code password} with a fresh salt and the default iterations. */
    public static String pbkdf2(byte[] password) {
        return pbkdf2(password, salt(), PBKDF2_ITERATIONS);
    }

    /**
     * A PBKDF2-HMAC-SHA256 hash with a fresh salt and {@code iterations} (at least 1). The cost is
     * read back from the hash when it is verified, so fewer iterations make each CONNECT cheaper and
     * the password weaker: for benchmarks and tests that register thousands of clients, not for real
     * passwords (use {@link #argon2id(byte[])} or {@link #pbkdf2(byte[])}).
     */
    public static String pbkdf2(byte[] password, int iterations) {
        return pbkdf2(password, salt(), iterations);
    }

    static String pbkdf2(byte[] password, byte[] salt, int iterations) {
        return "$pbkdf2-sha256$i=" + iterations + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(pbkdf2Bytes(password, salt, iterations, HASH_BYTES));
    }

    /** Whether {@code text} is a hash this class can verify (so not a password in plain text). */
    public static boolean isHash(String text) {
        return text != null && (ARGON2.matcher(text).matches() || PBKDF2.matcher(text).matches());
    }

    /**
     * Whether {@code password} is the one {@code hash} was made from. Throws IllegalArgumentException
     * when {@code hash} is not a PHC string of a supported algorithm.
     */
    public static boolean verify(String hash, byte[] password) {
        Matcher a = ARGON2.matcher(hash);
        if (a.matches()) {
            byte[] expected = decode(a.group(5));
            byte[] actual = argon2(password, decode(a.group(4)), Integer.parseInt(a.group(1)),
                    Integer.parseInt(a.group(2)), Integer.parseInt(a.group(3)), expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        Matcher p = PBKDF2.matcher(hash);
        if (p.matches()) {
            byte[] expected = decode(p.group(3));
            byte[] actual = pbkdf2Bytes(password, decode(p.group(2)), Integer.parseInt(p.group(1)), expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        throw new IllegalArgumentException("not a password hash: expected $argon2id$v=19$m=..,t=..,p=..$salt$hash or"
                + " $pbkdf2-sha256$i=..$salt$hash (write one with: switchboard passwd)");
    }

    static byte[] argon2(byte[] password, byte[] salt, int memoryKib, int passes, int lanes, int length) {
        if (memoryKib < 8 * lanes || passes < 1 || lanes < 1) {
            throw new IllegalArgumentException("Argon2id parameters m=" + memoryKib + ",t=" + passes + ",p=" + lanes
                    + ": m at least 8 per lane, t and p at least 1");
        }
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(passes).withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        g.generateBytes(password, out);
        return out;
    }

    static byte[] pbkdf2Bytes(byte[] password, byte[] salt, int iterations, int length) {
        if (iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 iterations " + iterations + ": at least 1");
        }
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(chars, salt, iterations, length * 8)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private static byte[] decode(String b64) {
        return Base64.getDecoder().decode(b64.replace('.', '+'));
    }

    private static byte[] salt() {
        byte[] s = new byte[SALT_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }
}
