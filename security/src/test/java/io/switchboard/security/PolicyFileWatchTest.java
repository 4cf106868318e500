package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The policy file is watched ({@code security.reloadCheckSeconds}): a change is put in force without
 * a reload command, and a connected client's rights follow; an invalid file is reported once and
 * changes nothing.
 */
class PolicyFileWatchTest {
    static final String HASH = PasswordHash.pbkdf2("pw".getBytes(StandardCharsets.UTF_8), new byte[16], 1);

    static String policy(String filter) {
        return """
                clients: [{authenticationName: watcher, passwordHash: '%s'}]
                topicSpaces: [{name: s, topicTemplates: ['%s']}]
                permissionBindings: [{name: b, clientGroupName: $all, topicSpaceName: s, permission: subscriber}]
                """.formatted(HASH, filter);
    }

    @Test
    void aChangedFileIsPutInForceAndConnectedClientsFollowIt() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-watch-");
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, policy("first/#"));
        try (EmbeddedBroker broker = EmbeddedBroker.fromYaml("""
                listeners: [{name: tcp, type: tcp, port: 0}]
                storage: {type: memory}
                security: {policy: "%s", reloadCheckSeconds: 1}
                """.formatted(file))) {
            broker.start();
            Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("watcher")
                    .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
            c.connectWith().simpleAuth().username("watcher").password("pw".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            try {
                assertThatThrownBy(() -> c.subscribeWith().topicFilter("second/x").qos(MqttQos.AT_LEAST_ONCE).send())
                        .isInstanceOf(Mqtt5SubAckException.class);
                Files.writeString(file, "clients: [\n"); // invalid: if the watcher sees it, reported and ignored
                Files.writeString(file, policy("second/#"));
                // The connected client's rights are resolved anew once the watcher has seen the change.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    try {
                        return c.subscribeWith().topicFilter("second/x").qos(MqttQos.AT_LEAST_ONCE).send()
                                .getReasonCodes().contains(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
                    } catch (Mqtt5SubAckException e) {
                        return false;
                    }
                });
                assertThat(c.getState().isConnected()).isTrue();
            } finally {
                c.disconnect();
            }
        } finally {
            EmbeddedBroker.deleteTree(dir);
        }
    }
}
