package io.switchboard.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.broker.config.ConfigException;
import io.switchboard.security.WireClient.ConnAck;
import io.switchboard.security.WireClient.Endpoint;
import io.switchboard.security.WireClient.Library;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Clients without a certificate, authenticated by user name and password against the hashes of the
 * policy's registry, over the TLS listener where certificates are optional and over plain TCP, with
 * the HiveMQ MQTT Client and Eclipse Paho, MQTT 5 and 3.1.1: the right password gives the client
 * its own rights; every refusal has its CONNACK code (5.0 reason code and reason string, 3.1.1
 * return code 4 or 5). A policy with a password in plain text does not start.
 */
class PasswordAuthenticationTest {
    static final String ALICE = "correct horse battery staple";
    static final String BOB = "bob's s3cret";
    static final String CAROL = "carol's s3cret";
    static final String POLICY = """
            clients:
              - {authenticationName: alice, attributes: {type: operator}, passwordHash: '%s'}
              - {authenticationName: bob, attributes: {type: operator}, passwordHash: '%s'}
              - {authenticationName: carol, state: disabled, attributes: {type: operator}, passwordHash: '%s'}
              - {authenticationName: device1, attributes: {type: operator}}
            clientGroups:
              - {name: operators, query: 'attributes.type = "operator"'}
            topicSpaces:
              - {name: own, topicTemplates: ['operators/${client.authenticationName}/#']}
            permissionBindings:
              - {name: ownPub, clientGroupName: operators, topicSpaceName: own, permission: publisher}
              - {name: ownSub, clientGroupName: operators, topicSpaceName: own, permission: subscriber}
            """.formatted(
            // alice: Argon2id with the default (OWASP) parameters, as `switchboard passwd` writes it.
            PasswordHash.argon2id(ALICE.getBytes(UTF_8)),
            // bob and carol: cheap parameters, for the many connects below.
            PasswordHash.pbkdf2(BOB.getBytes(UTF_8), "bob-salt-0123456".getBytes(UTF_8), 1000),
            PasswordHash.argon2id(CAROL.getBytes(UTF_8), "carol-salt-01234".getBytes(UTF_8), 64, 1, 1));

    static final SecureBroker SECURE = new SecureBroker(POLICY);
    @RegisterExtension
    static final EmbeddedBroker BROKER = SECURE.broker;

    private final List<WireClient> open = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (WireClient c : open) {
            c.close();
        }
    }

    static Endpoint endpoint(String listener) {
        return listener.equals("tcp") ? Endpoint.tcp(SECURE) : Endpoint.tls(SECURE, listener, null);
    }

    WireClient client(Library library, int version, String id, Endpoint e) throws Exception {
        WireClient c = WireClient.create(library, version, id, e);
        open.add(c);
        return c;
    }

    @ParameterizedTest(name = "{0} over {1} with {2} MQTT {3}")
    @CsvSource({"alice, tls-optional, HIVEMQ, 5", "alice, tcp, PAHO, 5", "bob, tcp, HIVEMQ, 3", "bob, tls-optional, PAHO, 3",
            "bob, tls-optional, PAHO, 5", "bob, tcp, HIVEMQ, 5"})
    void theRightPasswordConnectsWithTheClientsOwnRights(String user, String listener, Library library, int version)
            throws Exception {
        String password = user.equals("alice") ? ALICE : BOB;
        WireClient c = client(library, version, "pw-" + user + "-" + listener + "-" + library + version,
                endpoint(listener).login(user, password));
        assertThat(c.connect().code()).isZero();
        String own = "operators/" + user + "/status";
        String other = "operators/" + (user.equals("alice") ? "bob" : "alice") + "/status";
        // Its subscriber binding: its own topics granted, another operator's refused in the same SUBSCRIBE
        // (5.0: 0x87 Not authorized; 3.1.1: 0x80 Failure).
        assertThat(c.subscribe(1, own, other)).containsExactly(1, version == 5 ? 0x87 : 0x80);
        // Its publisher binding: PUBACK 0 on its own topic, and the message delivered.
        assertThat(c.publish(own, "own", 1)).isZero();
        assertThat(c.next()).isEqualTo(new WireClient.Received(own, "own"));
        if (version == 5) {
            // Another's topic: PUBACK 0x87, the connection kept.
            assertThat(c.publish(other, "forged", 1)).isEqualTo(0x87);
            assertThat(c.isConnected()).isTrue();
        }
    }

    @ParameterizedTest(name = "{1} over {0}")
    @CsvSource({"tls-optional, HIVEMQ", "tcp, HIVEMQ", "tls-optional, PAHO", "tcp, PAHO"})
    void aWrongPasswordIsRefusedWith0x86AndTheReason(String listener, Library library) throws Exception {
        ConnAck ack = client(library, 5, "pw-wrong-" + listener + library, endpoint(listener).login("bob", BOB + "!"))
                .connect();
        assertThat(ack.code()).isEqualTo(0x86); // Bad User Name or Password
        assertReason(library, ack, "bad user name or password");
    }

    @ParameterizedTest(name = "{1} over {0}")
    @CsvSource({"tls-optional, HIVEMQ", "tcp, HIVEMQ", "tls-optional, PAHO", "tcp, PAHO"})
    void mqtt311AWrongPasswordIsReturnCode4(String listener, Library library) throws Exception {
        ConnAck ack = client(library, 3, "pw-wrong3-" + listener + library, endpoint(listener).login("bob", "BOB"))
                .connect();
        // 3.1.1 has no reason string: return code 4, "bad user name or password" (section 3.2.2.3, table 3.1).
        assertThat(ack.code()).isEqualTo(4);
    }

    @Test
    void theDefaultArgon2idHashRefusesAWrongPassword() throws Exception {
        ConnAck ack = client(Library.HIVEMQ, 5, "pw-alice-wrong", endpoint("tcp").login("alice", ALICE.toUpperCase()))
                .connect();
        assertThat(ack).isEqualTo(new ConnAck(0x86, "bad user name or password"));
    }

    /**
     * Who may not use a password: a stranger, a disabled client (even with its right password), a
     * client that authenticates by certificate; and a registered client without its password. 5.0
     * reason code and reason string; 3.1.1 return code 5 (not authorized) or 4 (bad user name or
     * password).
     */
    @ParameterizedTest(name = "{0} MQTT {1}")
    @CsvSource({"HIVEMQ, 5", "PAHO, 5", "HIVEMQ, 3", "PAHO, 3"})
    void refusalsHaveTheirCodeAndReason(Library library, int version) throws Exception {
        record Case(String user, String password, int code5, int code3, String reason) {
        }
        List<Case> cases = List.of(
                new Case("mallory", BOB, 0x87, 5, "'mallory' is not a registered client"),
                new Case("carol", CAROL, 0x87, 5, "client 'carol' is disabled"),
                new Case("device1", "anything", 0x87, 5,
                        "client 'device1' authenticates with a certificate, not a password"),
                new Case("bob", null, 0x86, 4, "a password is required for client 'bob'"));
        int n = 0;
        for (Case k : cases) {
            for (String listener : List.of("tls-optional", "tcp")) {
                ConnAck ack = client(library, version, "pw-refused-" + library + version + "-" + n++,
                        endpoint(listener).login(k.user(), k.password())).connect();
                assertThat(ack.code()).as("%s over %s", k.user(), listener).isEqualTo(version == 5 ? k.code5() : k.code3());
                if (version == 5) {
                    assertReason(library, ack, k.reason());
                }
            }
        }
    }

    /** The CONNACK's reason string, as HiveMQ shows it (Paho 5 1.2.5 does not hand it out on a refusal). */
    private static void assertReason(Library library, ConnAck ack, String reason) {
        if (library == Library.HIVEMQ) {
            assertThat(ack.reason()).isEqualTo(reason);
        }
    }

    @Test
    void aPasswordInPlainTextStopsTheBrokerAtStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plain.yaml");
        Files.writeString(file, """
                clients:
                  - {authenticationName: alice, passwordHash: '%s'}
                  - {authenticationName: bob, password: hunter2}
                """.formatted(PasswordHash.pbkdf2(BOB.getBytes(UTF_8), "bob-salt-0123456".getBytes(UTF_8), 1000)));
        EmbeddedBroker plain = EmbeddedBroker.fromYaml("""
                listeners:
                  - {name: tcp, type: tcp, port: 0}
                security:
                  policy: "%s"
                """.formatted(file));
        try {
            assertThatThrownBy(plain::start).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(
                    e.getMessage()).contains(file.toString(), "clients[1].password", "switchboard passwd")
                    .doesNotContain("hunter2"));
        } finally {
            plain.close();
        }
    }
}
