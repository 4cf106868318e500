package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.testkit.RawClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar as a user runs it ({@code ./switchboard broker} runs this jar): it says where it
 * listens and which configuration it uses, and SIGTERM (what Ctrl-C and service managers send) stops
 * it cleanly, with DISCONNECT 0x8B Server shutting down for 5.0 clients.
 */
class CommandLineInteropTest {
    private static final Path JAR = Path.of("..", "cli", "target", "switchboard.jar");
    private static final Pattern LISTENING = Pattern.compile("Listening for MQTT on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void sigtermDisconnectsClientsWith0x8bAndExits() throws Exception {
        assertThat(JAR).as("the runnable jar, built by the cli module").exists();
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "broker", "--port", "0").redirectErrorStream(true).start();
        List<String> log = new CopyOnWriteArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        try {
            int port = readPort(out, log);
            assertThat(String.join("\n", log)).contains("configuration: embedded defaults");
            try (RawClient client = RawClient.connect(port, MqttVersion.V5, "cli-sigterm")) {
                broker.toHandle().destroy(); // SIGTERM, leaving our end of its output open
                DisconnectPacket d = client.expect(DisconnectPacket.class);
                assertThat(d.reasonCode()).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
                client.expectClosed();
            }
            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).as("broker exits after SIGTERM").isTrue();
            out.lines().forEach(log::add); // the rest of its output, up to its end
            assertThat(String.join("\n", log)).contains("Stopped").doesNotContain("Exception");
        } finally {
            broker.destroyForcibly();
        }
    }

    /** Reads the broker's output until it says which port it listens on. */
    private static int readPort(BufferedReader r, List<String> log) throws IOException {
        String line;
        while ((line = r.readLine()) != null) { // bounded: the process ends or prints the line
            log.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the broker ended without listening:\n" + String.join("\n", log));
    }
}
