package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.PasswordHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code switchboard passwd} with the password on stdin, as a script would run it. */
class PasswdCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new SwitchboardCommand()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void printsAnArgon2idHashOfThePasswordOnStdin() {
        Run r = run("s3cret\n", "passwd");
        assertThat(r.exit()).isZero();
        String hash = r.out().strip();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHash.verify(hash, "s3cret".getBytes(StandardCharsets.UTF_8))).isTrue(); // newline dropped
    }

    @Test
    void pbkdf2OnRequest() {
        Run r = run("s3cret", "passwd", "--pbkdf2");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).startsWith("$pbkdf2-sha256$i=600000$");
        assertThat(PasswordHash.verify(r.out().strip(), "s3cret".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void anEmptyPasswordIsAUsageError() {
        Run r = run("\n", "passwd");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("switchboard passwd: the password is empty");
        assertThat(r.out()).isEmpty();
    }
}
