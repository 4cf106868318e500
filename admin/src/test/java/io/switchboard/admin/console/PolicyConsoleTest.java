package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.PasswordHash;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's MQTT connection under a security policy: it has the signed-in user's MQTT rights and
 * no more. alice's MQTT name is operator-alice, who may publish and subscribe under
 * operators/operator-alice/ only; bob has no MQTT name in the policy's registry.
 */
class PolicyConsoleTest {
    static final String ALICE_PASSWORD = "alice s3cret";
    static final String BOB_PASSWORD = "bob s3cret";
    static final Path POLICY = policy("""
            clients:
              - {authenticationName: operator-alice, attributes: {type: operator}}
            clientGroups:
              - {name: operators, query: 'attributes.type = "operator"'}
            topicSpaces:
              - {name: own, topicTemplates: ['operators/${client.authenticationName}/#']}
            permissionBindings:
              - {name: ownPub, clientGroupName: operators, topicSpaceName: own, permission: publisher}
              - {name: ownSub, clientGroupName: operators, topicSpaceName: own, permission: subscriber}
            """);

    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, port: 0}
              - {name: ws, type: ws, port: 0}
            security: {policy: "%s", reloadCheckSeconds: 0}
            http:
              port: 0
              users:
                - {name: alice, role: admin, mqttName: operator-alice, passwordHash: '%s'}
                - {name: bob, role: read-only, passwordHash: '%s'}
            """.formatted(POLICY, PasswordHash.pbkdf2(ALICE_PASSWORD.getBytes(UTF_8), 1000),
            PasswordHash.pbkdf2(BOB_PASSWORD.getBytes(UTF_8), 1000)));

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    static Path policy(String text) {
        try {
            Path dir = Files.createTempDirectory("console-policy-");
            dir.toFile().deleteOnExit();
            Path p = dir.resolve("policy.yaml");
            Files.writeString(p, text);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void signedOut() {
        browser.open(Console.url(broker, ""));
        browser.script("sessionStorage.clear()");
    }

    private void signIn(String hash, String user, String password) {
        browser.open(Console.url(broker, hash));
        browser.role("username").sendKeys(user);
        browser.role("password").sendKeys(password);
        browser.click("[data-role='sign-in']");
    }

    @Test
    @DisplayName("The test client has the user's MQTT rights: its own topics yes, another's no (SUBACK and"
            + " PUBACK 0x87 shown)")
    void theUsersRightsOnly() {
        signIn("#/test-client", "alice", ALICE_PASSWORD);
        TestClientPage page = new TestClientPage(browser);
        page.awaitConnected();
        assertThat(browser.role("mqtt-client-id").getText()).startsWith("console-alice-");

        page.subscribe("operators/operator-alice/#");
        page.publish("operators/operator-alice/notes", 1, "mine", "text", List.of());
        page.awaitMessage("operators/operator-alice/notes", "mine");

        browser.type("[data-role='sub-filter']", "operators/device9/#");
        browser.click("[data-role='subscribe']");
        browser.find(TestClientPage.subscription("operators/device9/#") + "[data-state='failed']");
        assertThat(browser.find(TestClientPage.subscription("operators/device9/#") + " .badge.bad").getAttribute("title"))
                .contains("0x87");

        page.publish("operators/device9/commands", 1, "not mine", "text", List.of());
        assertThat(browser.role("publish-result").getText()).contains("0x87 Not authorized");
    }

    @Test
    @DisplayName("The RPC panel's replies come under its own reply prefix, which the policy always allows; a"
            + " request the user may not publish is refused by the broker")
    void rpcUnderPolicy() {
        signIn("#/rpc", "alice", ALICE_PASSWORD);
        browser.await(d -> browser.role("rpc-send").isEnabled());
        browser.type("[data-role='rpc-topic']", "operators/operator-alice/nobody");
        browser.type("[data-role='rpc-payload']", "?");
        browser.click("[data-role='rpc-send']");
        browser.find("[data-role='rpc-call'] [data-role='outcome'][data-outcome='no-responders']");

        browser.type("[data-role='rpc-topic']", "operators/device9/unlock");
        browser.click("[data-role='rpc-send']");
        browser.find("[data-role='rpc-call'] [data-role='outcome'][data-outcome='failed']");
        assertThat(browser.role("outcome-text").getText()).contains("0x87 Not authorized");
    }

    @Test
    @DisplayName("A user without an MQTT name in the policy's registry gets no MQTT credential: the test client"
            + " says why")
    void noMqttName() {
        signIn("#/test-client", "bob", BOB_PASSWORD);
        browser.find("[data-role='mqtt-state'][data-state='failed']");
        assertThat(browser.role("mqtt-events").getText()).contains("No MQTT credential");
    }
}
