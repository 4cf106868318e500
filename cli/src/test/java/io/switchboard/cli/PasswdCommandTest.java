package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.PasswordHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code switchboard passwd} with the password on stdin, as a script would run it. */
class PasswdCommandTest {
    private static CommandRun run(String stdin, String... args) {
        return CommandRun.withInput(stdin, args);
    }

    @Test
    void printsAnArgon2idHashOfThePasswordOnStdin() {
        CommandRun r = run("s3cret\n", "passwd");
        assertThat(r.exit()).isZero();
        String hash = r.out().strip();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHash.verify(hash, "s3cret".getBytes(StandardCharsets.UTF_8))).isTrue(); // newline dropped
    }

    @Test
    void pbkdf2OnRequest() {
        CommandRun r = run("s3cret", "passwd", "--pbkdf2");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).startsWith("$pbkdf2-sha256$i=600000$");
        assertThat(PasswordHash.verify(r.out().strip(), "s3cret".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void anEmptyPasswordIsAUsageError() {
        CommandRun r = run("\n", "passwd");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("switchboard passwd: the password is empty");
        assertThat(r.out()).isEmpty();
    }
}
