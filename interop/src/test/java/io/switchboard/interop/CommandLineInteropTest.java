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
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it ({@code ./switchboard broker} runs this jar), in a directory of
 * its own: it says where it listens, which configuration it uses and where its data is; SIGTERM (what
 * Ctrl-C and service managers send) stops it cleanly, with DISCONNECT 0x8B Server shutting down for
 * 5.0 clients; and what it acknowledged is still there after {@code kill -9} and a new start.
 */
class CommandLineInteropTest {
    static final Path JAR = Path.of("..", "cli", "target", "switchboard.jar").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("Listening for MQTT on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path workDir;

    private Process start(String... args) throws IOException {
        assertThat(JAR).as("the runnable jar, built by the cli module").exists();
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "broker"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    }

    @Test
    void acknowledgedMessageSurvivesKillMinus9() throws Exception {
        Process broker = start("--port", "0", "--ws-port", "0", "--http-port", "0");
        List<String> log = new CopyOnWriteArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            int port = readPort(out, log);
            assertThat(String.join("\n", log)).contains("Storage: RocksDB in " + workDir.resolve("data").toRealPath()
                    + ", durability sync");
            var persistent = RawClient.connectPacket(MqttVersion.V5, "cli-durable", false, null,
                    io.switchboard.codec.property.Properties.builder().sessionExpiryInterval(3600L).build());
            try (RawClient sub = RawClient.connect(port, persistent)) {
                sub.expect(io.switchboard.codec.packet.ConnackPacket.class);
                sub.send(new io.switchboard.codec.packet.SubscribePacket(1,
                        List.of(new io.switchboard.codec.packet.TopicSubscription("cli/durable", 1)),
                        io.switchboard.codec.property.Properties.EMPTY));
                sub.expect(io.switchboard.codec.packet.SubackPacket.class);
            }
            try (RawClient pub = RawClient.connect(port, MqttVersion.V5, "cli-durable-pub")) {
                pub.send(new io.switchboard.codec.packet.PublishPacket("cli/durable", 1, false, false, 1,
                        io.switchboard.codec.property.Properties.EMPTY,
                        io.switchboard.codec.packet.Payload.utf8("kept")));
                assertThat(pub.expect(io.switchboard.codec.packet.PubackPacket.class).reasonCode())
                        .isEqualTo(ReasonCode.SUCCESS);
            }
            broker.destroyForcibly(); // SIGKILL: no clean stop
            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
            log.clear();
            broker = start("--port", "0", "--ws-port", "0", "--http-port", "0");
            out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            port = readPort(out, log);
            try (RawClient sub = RawClient.connect(port, persistent)) {
                assertThat(sub.expect(io.switchboard.codec.packet.ConnackPacket.class).sessionPresent()).isTrue();
                var p = sub.expect(io.switchboard.codec.packet.PublishPacket.class);
                assertThat(p.payload().toUtf8String()).isEqualTo("kept");
            }
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void willOfAClientConnectedWhenTheBrokerWasKilledIsPublishedAfterTheRestart() throws Exception {
        Process broker = start("--port", "0", "--ws-port", "0", "--http-port", "0");
        List<String> log = new CopyOnWriteArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            int port = readPort(out, log);
            var watcher = RawClient.connectPacket(MqttVersion.V5, "cli-will-watcher", false, null,
                    io.switchboard.codec.property.Properties.builder().sessionExpiryInterval(3600L).build());
            try (RawClient w = RawClient.connect(port, watcher)) {
                w.expect(io.switchboard.codec.packet.ConnackPacket.class);
                w.send(new io.switchboard.codec.packet.SubscribePacket(1,
                        List.of(new io.switchboard.codec.packet.TopicSubscription("cli/wills/#", 1)),
                        io.switchboard.codec.property.Properties.EMPTY));
                w.expect(io.switchboard.codec.packet.SubackPacket.class);
            }
            var will = new io.switchboard.codec.packet.Will("cli/wills/door", io.switchboard.codec.packet.Payload.utf8("offline"),
                    1, false, io.switchboard.codec.property.Properties.EMPTY);
            RawClient device = RawClient.connect(port, RawClient.connectPacket(MqttVersion.V5, "cli-will-device", false,
                    will, io.switchboard.codec.property.Properties.builder().sessionExpiryInterval(600L).build()));
            device.expect(io.switchboard.codec.packet.ConnackPacket.class);
            // SUBACK comes once what came before it from this client is stored, the session with its Will included.
            device.send(new io.switchboard.codec.packet.SubscribePacket(1,
                    List.of(new io.switchboard.codec.packet.TopicSubscription("cli/device/cmd", 1)),
                    io.switchboard.codec.property.Properties.EMPTY));
            device.expect(io.switchboard.codec.packet.SubackPacket.class);
            broker.destroyForcibly(); // the device is still connected: its connection goes with the broker
            assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
            device.close();
            log.clear();
            broker = start("--port", "0", "--ws-port", "0", "--http-port", "0");
            out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            port = readPort(out, log);
            try (RawClient w = RawClient.connect(port, watcher)) {
                assertThat(w.expect(io.switchboard.codec.packet.ConnackPacket.class).sessionPresent()).isTrue();
                var p = w.expect(io.switchboard.codec.packet.PublishPacket.class);
                assertThat(p.topic()).isEqualTo("cli/wills/door");
                assertThat(p.payload().toUtf8String()).isEqualTo("offline");
            }
        } finally {
            broker.destroyForcibly();
        }
    }

    @Test
    void sigtermDisconnectsClientsWith0x8bAndExits() throws Exception {
        Process broker = start("--port", "0", "--ws-port", "0", "--http-port", "0");
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

    @Test
    void theEmbeddedDefaultsServeTheConsoleMetricsAndHealthOverHttp() throws Exception {
        Process broker = start("--port", "0", "--ws-port", "0", "--http-port", "0");
        List<String> log = new CopyOnWriteArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            int mqtt = readPort(out, log);
            int http = readPort(out, log, HTTP_LISTENING);
            assertThat(String.join("\n", log)).contains("Listening for MQTT over WebSocket on 127.0.0.1:");
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
                try {
                    return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http
                            + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(get.apply("/health/ready").body()).isEqualTo("{\"status\":\"UP\",\"problems\":[]}");
            try (RawClient c = RawClient.connect(mqtt, MqttVersion.V5, "cli-http")) {
                assertThat(get.apply("/metrics").body()).contains("switchboard_clients_connected 1.0");
                assertThat(get.apply("/api/v1/clients").body()).contains("\"clientId\":\"cli-http\"");
            }
            assertThat(get.apply("/api/openapi.yaml").statusCode()).isEqualTo(200);
        } finally {
            broker.destroyForcibly();
        }
    }

    private static final Pattern HTTP_LISTENING = Pattern.compile("HTTP listener on http://127\\.0\\.0\\.1:(\\d+)/");

    /** Reads the broker's output until it says where it listens; the lines read go to {@code log}. */
    static int readPort(BufferedReader r, List<String> log) throws IOException {
        return readPort(r, log, LISTENING);
    }

    /** Reads the broker's output until a line matches {@code pattern}, whose group 1 is a port. */
    static int readPort(BufferedReader r, List<String> log, Pattern pattern) throws IOException {
        String line;
        while ((line = r.readLine()) != null) { // bounded: the process ends or prints the line
            log.add(line);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the broker ended without listening:\n" + String.join("\n", log));
    }
}
