package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A stored session keeps its owner across a restart: after the broker restarts from RocksDB,
 * another authentication name cannot resume or clear the session that alice left offline, and
 * alice resumes it.
 */
class SessionOwnerRestartTest {
    static final String HASH = PasswordHash.pbkdf2("pw".getBytes(StandardCharsets.UTF_8), new byte[16], 1);

    @Test
    void anOfflineSessionStaysItsOwnersAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-owner-");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                clients:
                  - {authenticationName: alice, passwordHash: '%1$s'}
                  - {authenticationName: mallory, passwordHash: '%1$s'}
                topicSpaces: [{name: s, topicTemplates: ['people/${client.authenticationName}/#']}]
                permissionBindings: [{name: b, clientGroupName: $all, topicSpaceName: s, permission: subscriber}]
                """.formatted(HASH));
        EmbeddedBroker broker = EmbeddedBroker.fromYaml("""
                listeners: [{name: tcp, type: tcp, port: 0}]
                security: {policy: "%s", reloadCheckSeconds: 0}
                """.formatted(policy)).durable();
        try {
            broker.start();
            Mqtt5BlockingClient alice = client(broker, "alice");
            alice.subscribeWith().topicFilter("people/alice/inbox").qos(MqttQos.AT_LEAST_ONCE).send();
            alice.disconnect();
            broker.restart();
            for (boolean cleanStart : new boolean[] {false, true}) {
                assertThatThrownBy(() -> connect(broker, "mallory", cleanStart))
                        .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                            assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
                            assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString())
                                    .isEqualTo("client id 'owned' holds a session of another authentication name");
                        });
            }
            Mqtt5BlockingClient again = MqttClient.builder().useMqttVersion5().identifier("owned")
                    .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
            assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(300).simpleAuth().username("alice")
                    .password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().isSessionPresent())
                    .isTrue();
            again.disconnect();
        } finally {
            broker.close();
            EmbeddedBroker.deleteTree(dir);
        }
    }

    private static Mqtt5BlockingClient client(EmbeddedBroker broker, String name) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("owned").serverHost(broker.host())
                .serverPort(broker.port()).buildBlocking();
        c.connectWith().cleanStart(true).sessionExpiryInterval(300).simpleAuth().username(name)
                .password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        return c;
    }

    private static void connect(EmbeddedBroker broker, String name, boolean cleanStart) {
        MqttClient.builder().useMqttVersion5().identifier("owned").serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking().connectWith().cleanStart(cleanStart).sessionExpiryInterval(300).simpleAuth()
                .username(name).password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    }
}
