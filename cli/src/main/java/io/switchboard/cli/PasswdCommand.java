package io.switchboard.cli;

import io.switchboard.security.PasswordHash;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard passwd}: a password hash for the configuration, the only form in which the
 * broker takes a password. Asks twice on a terminal; otherwise reads the password from stdin (one
 * trailing newline dropped).
 */
@Command(name = "passwd", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Prints a password hash for the configuration (docs/security.md).",
            "Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane) as a PHC string, or",
            "PBKDF2-HMAC-SHA256 with --pbkdf2. On a terminal it asks for the password twice;",
            "otherwise it reads it from stdin.",
            "Example: printf '%s' \"$SECRET\" | switchboard passwd"})
public final class PasswdCommand implements Callable<Integer> {
    @Option(names = "--pbkdf2", description = "PBKDF2-HMAC-SHA256 (600,000 iterations) instead of Argon2id.")
    boolean pbkdf2;

    @Override
    public Integer call() throws IOException {
        byte[] password;
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                System.err.println("switchboard passwd: the two passwords differ");
                return 2;
            }
            password = new String(first).getBytes(StandardCharsets.UTF_8);
            Arrays.fill(first, '\0');
            Arrays.fill(again, '\0');
        } else {
            password = System.in.readAllBytes();
            int n = password.length;
            if (n > 0 && password[n - 1] == '\n') {
                n--;
                if (n > 0 && password[n - 1] == '\r') {
                    n--;
                }
            }
            password = Arrays.copyOf(password, n);
        }
        if (password.length == 0) {
            System.err.println("switchboard passwd: the password is empty");
            return 2;
        }
        System.out.println(pbkdf2 ? PasswordHash.pbkdf2(password) : PasswordHash.argon2id(password));
        Arrays.fill(password, (byte) 0);
        return 0;
    }
}
