package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.broker.config.HttpConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code switchboard token}: a token, and the configuration line that holds only its SHA-256. */
class TokenCommandTest {
    private static CommandRun run(String... args) {
        return CommandRun.run(args);
    }

    @Test
    void printsATokenAndTheConfigurationLineWithItsHash() throws Exception {
        CommandRun r = run("token", "prometheus", "--role", "read-only");
        assertThat(r.exit()).isZero();
        String[] lines = r.out().split("\n");
        String token = lines[0];
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        String entry = lines[2];
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        assertThat(entry).isEqualTo("- {name: prometheus, role: read-only, sha256: " + sha + "}");
        // The line is what the configuration takes.
        HttpConfig http = ConfigLoader.parse("http:\n  tokens:\n  " + entry + "\n", "test").http();
        assertThat(http.tokens()).singleElement().satisfies(t -> assertThat(t.sha256()).isEqualTo(sha));
        assertThat(r.out()).doesNotContain("admin");
    }

    @Test
    void aBadRoleIsNamed() {
        CommandRun r = run("token", "ops", "--role", "root");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--role 'root': allowed admin or read-only");
    }
}
