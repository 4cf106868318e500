package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** {@code switchboard broker} as a user meets it: help, and refusals of bad configuration. */
class BrokerCommandTest {

    private static CommandRun run(String... args) {
        return CommandRun.run(args);
    }

    @Test
    void helpListsTheOptions() {
        CommandRun r = run("broker", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--config", "--host", "--port", "--ws-port", "--http-port", "--no-http",
                "127.0.0.1:1883", "127.0.0.1:18080");
    }

    @Test
    void embeddedDefaultsServeMqttOverWebSocketAndTheHttpListenerOnLoopback() {
        var c = BrokerCommand.embeddedDefaults(null, null);
        assertThat(c.listeners()).extracting(l -> l.type() + " " + l.host() + ":" + l.port())
                .containsExactly("tcp 127.0.0.1:1883", "ws 127.0.0.1:8083");
        assertThat(c.http().enabled()).isTrue();
        assertThat(c.http().host() + ":" + c.http().port()).isEqualTo("127.0.0.1:18080");
        assertThat(c.http().authenticated()).isFalse();
    }

    @Test
    void httpPortNeedsAnHttpSection(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, "listeners: [{port: 0}]\n");
        CommandRun r = run("broker", "--config", file.toString(), "--http-port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--http-port: the configuration has no http section");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mqtt:\\n  maxQoss: 1|unknown key 'mqtt.maxQoss'|allowed keys here",
        "mqtt:\\n  maxQos: 3|'mqtt.maxQos'|0..2",
        "listeners:\\n  - port: abc|'listeners[0].port'|whole number",
        "sessions:\\n  queueQos0: maybe|'sessions.queueQos0'|true or false",
        "storage: disk|'storage.type'|one of [rocksdb, memory]",
        "storage:\\n  durability: fast|'storage.durability'|one of [sync, periodic, none]",
    })
    void badConfigurationIsOneLineNamingKeyValueAndWhatIsAllowed(String yaml, String names, String allowed,
            @TempDir Path dir) throws IOException {
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, yaml.replace("\\n", "\n"));
        CommandRun r = run("broker", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("switchboard: configuration error: ")
                .contains(names).contains(allowed).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void aPolicyWithAPlainTextPasswordIsRefusedTheSameWay(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "clients:\n  - {authenticationName: backend, password: hunter2}\n");
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, "storage: memory\nsecurity:\n  policy: \"" + policy + "\"\n");
        CommandRun r = run("broker", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("switchboard: configuration error: security.policy: " + policy
                + ": clients[0].password: plain-text passwords are not accepted: store a hash in passwordHash instead"
                + " (make one with: switchboard passwd)");
    }

    @Test
    void tlsListenerWithAMissingCertificateFileIsRefusedTheSameWay(@TempDir Path dir) throws IOException {
        // Found only when the listener starts, after the configuration was read.
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, """
                listeners:
                  - name: secure
                    type: tls
                    port: 0
                    tls: {certificate: no-such-server.pem, key: no-such-server.key}
                storage: memory
                """);
        CommandRun r = run("broker", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("switchboard: configuration error: listeners[secure].tls.certificate:"
                + " file 'no-such-server.pem' does not exist or cannot be read");
    }

    @Test
    void dataDirectoryOfANewerFormatStopsStartUpWithWhatToDo(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        RocksDB.loadLibrary();
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, data.toString())) {
            db.put("format-version".getBytes(StandardCharsets.UTF_8), java.nio.ByteBuffer.allocate(4).putInt(99).array());
        }
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, "listeners:\n  - port: 0\nstorage:\n  dataDir: " + data + "\n");
        CommandRun r = run("broker", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("switchboard: storage: the data directory " + data)
                .contains("newer Switchboard (storage format 99; this version reads format 1)")
                .contains("move the directory away").doesNotContain("\tat ");
    }

    @Test
    void foreignRocksDbDirectoryStopsStartUp(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        RocksDB.loadLibrary();
        try (Options o = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(o, data.toString())) {
            db.put("some".getBytes(StandardCharsets.UTF_8), "thing".getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve("broker.yaml");
        Files.writeString(file, "listeners:\n  - port: 0\nstorage:\n  dataDir: " + data + "\n");
        CommandRun r = run("broker", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).contains("Switchboard did not write (it has no format version)");
    }

    @Test
    void badPortFlagIsRefusedTheSameWay() {
        CommandRun r = run("broker", "--port", "70000");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("70000").contains("0..65535").doesNotContain("\tat ");
    }
}
