package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security as a user sets it up with the runnable jar: {@code switchboard passwd} makes the hash, the
 * policy file holds it, {@code switchboard broker --config} puts the policy in force (a wrong password
 * gets 0x86), and SIGHUP reloads an edited policy: a connected client's rights follow it without a
 * reconnect.
 */
class SecurityCommandLineInteropTest {
    private static final Path JAR = CommandLineInteropTest.JAR;

    @TempDir
    Path dir;

    private List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private String passwd(String password) throws Exception {
        Process p = new ProcessBuilder(java("passwd")).directory(dir.toFile()).start();
        p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String hash = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return hash;
    }

    private static String policy(String hash, String filter) {
        return """
                clients:
                  - {authenticationName: reader, passwordHash: '%s', attributes: {role: reader}}
                clientGroups:
                  - {name: readers, query: 'attributes.role = "reader"'}
                topicSpaces:
                  - {name: news, topicTemplates: ['%s']}
                permissionBindings:
                  - {name: readNews, clientGroupName: readers, topicSpaceName: news, permission: subscriber}
                """.formatted(hash, filter);
    }

    @Test
    void passwdPolicyFileAndSighupReload() throws Exception {
        assertThat(JAR).as("the runnable jar, built by the cli module").exists();
        String hash = passwd("s3cret");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policy(hash, "news/#"));
        Files.writeString(dir.resolve("broker.yaml"), """
                storage: memory
                security:
                  policy: policy.yaml
                  reloadCheckSeconds: 0
                """);
        Process broker = new ProcessBuilder(java("broker", "--config", "broker.yaml", "--port", "0"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> log = new CopyOnWriteArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            int port = CommandLineInteropTest.readPort(out, log);
            Thread drain = new Thread(() -> out.lines().forEach(log::add), "broker-log");
            drain.setDaemon(true);
            drain.start();
            assertThat(String.join("\n", log)).contains("Security policy policy.yaml: 1 clients");

            Mqtt5BlockingClient wrong = client(port);
            assertThatThrownBy(() -> wrong.connectWith().simpleAuth().username("reader")
                    .password("guess".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
                    .isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                            e -> assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x86));

            Mqtt5BlockingClient reader = client(port);
            reader.connectWith().simpleAuth().username("reader").password("s3cret".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            assertThat(reader.subscribeWith().topicFilter("news/today").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThatThrownBy(() -> reader.subscribeWith().topicFilter("sports/today").send())
                    .isInstanceOf(Mqtt5SubAckException.class);

            // The administrator edits the policy and sends SIGHUP: the connected reader's rights follow.
            Files.writeString(policy, policy(hash, "sports/#"));
            new ProcessBuilder("kill", "-HUP", Long.toString(broker.pid())).start().waitFor(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> String.join("\n", log)
                    .contains("policy reloaded from policy.yaml: 1 clients"));
            assertThat(String.join("\n", log)).contains("1 connected clients decided again, 0 disconnected");
            assertThat(reader.subscribeWith().topicFilter("sports/today").qos(MqttQos.AT_LEAST_ONCE).send()
                    .getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThatThrownBy(() -> reader.subscribeWith().topicFilter("news/tomorrow").send())
                    .isInstanceOf(Mqtt5SubAckException.class);
            assertThat(reader.getState().isConnected()).isTrue();
            reader.disconnect();
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
            broker.destroyForcibly();
        }
    }

    private static Mqtt5BlockingClient client(int port) {
        return MqttClient.builder().useMqttVersion5().identifier("cli-security-" + System.nanoTime())
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }
}
