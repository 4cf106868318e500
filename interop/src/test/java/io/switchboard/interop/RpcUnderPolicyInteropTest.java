package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.NoResponderException;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RPC library under a policy, as a fleet runs it: devices may subscribe to their own command
 * topics only and have no publisher binding at all; their replies pass by reply rights, to the
 * caller's private reply prefix, once each. A device cannot serve another device's commands, and a
 * command nobody may serve fails at once (the broker's no-responder reply reaches the caller).
 */
class RpcUnderPolicyInteropTest {
    static final String HASH = "$pbkdf2-sha256$i=1$AAAAAAAAAAAAAAAAAAAAAA$" + pbkdf2Suffix();
    static final Path POLICY = writePolicy();

    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("""
            listeners: [{name: tcp, type: tcp, port: 0}]
            storage: {type: memory}
            security: {policy: "%s", reloadCheckSeconds: 0}
            """.formatted(POLICY));

    /** The hash of "pw" with salt 16 zero bytes and 1 iteration (cheap: the test connects often). */
    static String pbkdf2Suffix() {
        try {
            javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] h = f.generateSecret(new javax.crypto.spec.PBEKeySpec("pw".toCharArray(), new byte[16], 1, 256))
                    .getEncoded();
            return java.util.Base64.getEncoder().withoutPadding().encodeToString(h);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path writePolicy() {
        try {
            Path dir = Files.createTempDirectory("switchboard-rpc-policy-");
            Path file = dir.resolve("policy.yaml");
            Files.writeString(file, """
                    clients:
                      - {authenticationName: backend, passwordHash: '%1$s', attributes: {type: cloudApp}}
                      - {authenticationName: door-1, passwordHash: '%1$s', attributes: {type: device}}
                    clientGroups:
                      - {name: backends, query: 'attributes.type = "cloudApp"'}
                      - {name: devices, query: 'attributes.type = "device"', replyRights: true}
                    topicSpaces:
                      - {name: commands, topicTemplates: ['devices/+/commands/#']}
                      - {name: ownCommands, topicTemplates: ['devices/${client.authenticationName}/commands/#']}
                    permissionBindings:
                      - {name: backendsCommand, clientGroupName: backends, topicSpaceName: commands, permission: publisher}
                      - {name: devicesListen, clientGroupName: devices, topicSpaceName: ownCommands, permission: subscriber}
                    """.formatted(HASH));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> EmbeddedBroker.deleteTree(dir)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RpcClient client(String name) {
        return RpcClient.builder().host(BROKER.host()).port(BROKER.port()).clientId(name + "-" + System.nanoTime())
                .credentials(name, "pw").connect();
    }

    @Test
    void aDeviceAnswersTheCommandsItReceivesWithoutAnyPublisherBinding() {
        try (RpcClient door = client("door-1"); RpcClient backend = client("backend")) {
            door.serve("devices/door-1/commands/unlock", r -> Response.of("unlocked " + r.payloadAsString()));
            for (int i = 0; i < 3; i++) { // each request grants its own reply
                assertThat(backend.callBlocking("devices/door-1/commands/unlock",
                        ("front-" + i).getBytes(StandardCharsets.UTF_8), CallOptions.defaults()).payloadAsString())
                        .isEqualTo("unlocked front-" + i);
            }
            // Serving another device's commands is refused by the broker (SUBACK 0x87): serve fails.
            assertThatThrownBy(() -> door.serve("devices/door-2/commands/unlock", r -> Response.of("no")))
                    .hasMessageContaining("devices/door-2/commands/unlock");
            // A command nobody serves fails at once: the broker's reply reaches the caller's private prefix.
            assertThatThrownBy(() -> backend.callBlocking("devices/door-2/commands/unlock", new byte[0],
                    CallOptions.defaults().withTimeout(Duration.ofSeconds(60))))
                    .isInstanceOf(NoResponderException.class).hasMessageContaining("no responder is subscribed");
        }
    }
}
