package io.switchboard.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard token}: a new bearer token for the HTTP listener (the admin API, Prometheus):
 * the token to give the caller, and the entry for {@code http.tokens}, which keeps only its SHA-256.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Makes a bearer token for the HTTP listener's admin API and /metrics (docs/operations.md).",
            "Prints the token (give it to the caller: Authorization: Bearer <token>) on the first line, then",
            "the entry for http.tokens in the configuration, which holds only the token's SHA-256.",
            "Example: switchboard token prometheus --role read-only"})
public final class TokenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "Who uses it (named in the audit log), e.g. prometheus.")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "read-only",
            description = "admin or read-only (default read-only).")
    String role;

    @Override
    public Integer call() throws NoSuchAlgorithmException {
        if (!role.equals("admin") && !role.equals("read-only")) {
            System.err.println("switchboard token: --role '" + role + "': allowed admin or read-only");
            return 2;
        }
        if (name.isBlank() || !name.matches("[A-Za-z0-9_.@-]+")) {
            System.err.println("switchboard token: NAME '" + name + "': letters, digits and . _ @ - only");
            return 2;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        System.out.println(token);
        System.out.println("# under http.tokens in the configuration:");
        System.out.println("- {name: " + name + ", role: " + role + ", sha256: " + sha + "}");
        return 0;
    }
}
