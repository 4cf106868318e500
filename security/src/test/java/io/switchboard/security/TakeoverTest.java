package io.switchboard.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.security.WireClient.ConnAck;
import io.switchboard.security.WireClient.Endpoint;
import io.switchboard.security.WireClient.Library;
import io.switchboard.security.WireClient.Received;
import io.switchboard.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a policy in force a client id belongs, while its session lives (connected or offline), to the
 * authentication name that connected it: another name (another certificate, a user with a
 * password) is refused with CONNACK 0x87 (3.1.1: return code 5) and the live connection goes on as
 * if nothing happened; the same name takes the session over as MQTT says, the old connection closed
 * (5.0: DISCONNECT 0x8E first) [MQTT-3.1.4-3] (3.1.1: [MQTT-3.1.4-2]).
 */
class TakeoverTest {
    static final String ERIN = "erin's s3cret";
    static final String FRANK = "frank's s3cret";
    static final String POLICY = """
            clients:
              - {authenticationName: alice, attributes: {type: person}}
              - {authenticationName: mallory, attributes: {type: person}}
              - {authenticationName: erin, attributes: {type: person}, passwordHash: '%s'}
              - {authenticationName: frank, attributes: {type: person}, passwordHash: '%s'}
            topicSpaces:
              - {name: inboxes, topicTemplates: ['people/+/inbox']}
              - {name: ownInbox, topicTemplates: ['people/${client.authenticationName}/inbox']}
            permissionBindings:
              - {name: send, clientGroupName: $all, topicSpaceName: inboxes, permission: publisher}
              - {name: read, clientGroupName: $all, topicSpaceName: ownInbox, permission: subscriber}
            """.formatted(PasswordHash.pbkdf2(ERIN.getBytes(UTF_8), "erin-salt-012345".getBytes(UTF_8), 1000),
            PasswordHash.pbkdf2(FRANK.getBytes(UTF_8), "frank-salt-01234".getBytes(UTF_8), 1000));

    static final SecureBroker SECURE = new SecureBroker(POLICY);
    @RegisterExtension
    static final EmbeddedBroker BROKER = SECURE.broker;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** An MQTT 5 client of the certificate listener as {@code name}, recording the broker's DISCONNECT reason codes. */
    Mqtt5BlockingClient v5(String name, String clientId, List<Integer> disconnects) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("localhost")
                .serverPort(BROKER.port("tls")).sslConfig(SECURE.tls(SECURE.certificate(name)))
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() != MqttDisconnectSource.USER) {
                        disconnects.add(ctx.getCause() instanceof Mqtt5DisconnectException d
                                ? d.getMqttMessage().getReasonCode().getCode() : -1);
                    }
                }).buildBlocking();
        open.add(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }

    WireClient wire(Library library, int version, String clientId, Endpoint e) throws Exception {
        WireClient c = WireClient.create(library, version, clientId, e);
        open.add(c);
        return c;
    }

    static String text(Mqtt5Publishes inbox) throws InterruptedException {
        Mqtt5Publish p = inbox.receive(WireClient.TIMEOUT_SECONDS, TimeUnit.SECONDS).orElseThrow();
        return p.getTopic() + " " + new String(p.getPayloadAsBytes(), UTF_8);
    }

    @Test
    void mqtt5AnotherAuthenticationNameIsRefusedAndTheLiveSessionGoesOn() throws Exception {
        String id = "shared-5";
        List<Integer> aliceDisconnects = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient alice = v5("alice", id, aliceDisconnects);
        Mqtt5BlockingClient sender = v5("mallory", "mallory-sender", new CopyOnWriteArrayList<>());
        sender.connect();
        try (Mqtt5Publishes inbox = alice.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            alice.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
            alice.subscribeWith().topicFilter("people/alice/inbox").qos(MqttQos.AT_LEAST_ONCE).send();

            // Another certificate with alice's client id (and Clean Start, which must not clear her session).
            Mqtt5BlockingClient mallory = v5("mallory", id, new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> mallory.connectWith().cleanStart(true).send())
                    .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                        assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
                        assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString())
                                .isEqualTo("client id '" + id + "' is connected under another authentication name");
                    });
            // A user with a password, and Paho 5: the same.
            ConnAck erin = wire(Library.HIVEMQ, 5, id, Endpoint.tls(SECURE, "tls-optional", null).login("erin", ERIN))
                    .connect();
            assertThat(erin).isEqualTo(new ConnAck(0x87, "client id '" + id
                    + "' is connected under another authentication name"));
            assertThat(wire(Library.PAHO, 5, id, Endpoint.tcp(SECURE).login("frank", FRANK)).connect().code())
                    .isEqualTo(0x87);

            // alice's connection and session are untouched: a message sent now reaches her on the same
            // connection, with the subscription made before. Had she been sent DISCONNECT 0x8E, or her
            // session been cleared, this would not come.
            sender.publishWith().topic("people/alice/inbox").qos(MqttQos.AT_LEAST_ONCE).payload("after".getBytes(UTF_8))
                    .send();
            assertThat(text(inbox)).isEqualTo("people/alice/inbox after");
            assertThat(alice.getState().isConnected()).isTrue();
            assertThat(aliceDisconnects).isEmpty();
        }

        // alice again, the same certificate: she takes the session over, as MQTT says.
        List<Integer> secondDisconnects = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient aliceAgain = v5("alice", id, secondDisconnects);
        try (Mqtt5Publishes inbox = aliceAgain.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(aliceAgain.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent())
                    .isTrue();
            // [MQTT-3.1.4-3] the existing connection is sent DISCONNECT 0x8E (Session taken over) and closed.
            await().atMost(Duration.ofSeconds(10)).until(() -> !aliceDisconnects.isEmpty());
            assertThat(aliceDisconnects).containsExactly(0x8E);
            // The session, its subscription included, is the new connection's.
            sender.publishWith().topic("people/alice/inbox").qos(MqttQos.AT_LEAST_ONCE).payload("again".getBytes(UTF_8))
                    .send();
            assertThat(text(inbox)).isEqualTo("people/alice/inbox again");
            assertThat(secondDisconnects).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void mqtt311AnotherUserGetsReturnCode5AndTheSameUserTakesOver(Library library) throws Exception {
        String id = "shared-3-" + library;
        WireClient erin = wire(library, 3, id, Endpoint.tcp(SECURE).login("erin", ERIN));
        assertThat(erin.connect().code()).isZero();
        assertThat(erin.subscribe(1, "people/erin/inbox")).containsExactly(1);

        // frank, with erin's client id: return code 5, not authorized; a certificate client the same.
        assertThat(wire(library, 3, id, Endpoint.tcp(SECURE).login("frank", FRANK)).connect().code()).isEqualTo(5);
        assertThat(wire(library, 3, id, Endpoint.tls(SECURE, "tls", SECURE.certificate("alice"))).connect().code())
                .isEqualTo(5);
        // erin's connection goes on: a message sent after both refusals reaches it.
        WireClient sender = wire(library, 3, "frank-sender-" + library, Endpoint.tcp(SECURE).login("frank", FRANK));
        assertThat(sender.connect().code()).isZero();
        sender.publish("people/erin/inbox", "after", 1);
        assertThat(erin.next()).isEqualTo(new Received("people/erin/inbox", "after"));
        assertThat(erin.isConnected()).isTrue();
        assertThat(erin.closedByBroker()).isNotDone();

        // erin again: the old connection is closed [MQTT-3.1.4-2] (3.1.1 has no DISCONNECT from the server).
        WireClient erinAgain = wire(library, 3, id, Endpoint.tls(SECURE, "tls-optional", null).login("erin", ERIN));
        assertThat(erinAgain.connect().code()).isZero();
        assertThat(erin.closedByBroker().get(WireClient.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(erinAgain.subscribe(1, "people/erin/inbox")).containsExactly(1);
        sender.publish("people/erin/inbox", "again", 1);
        assertThat(erinAgain.next()).isEqualTo(new Received("people/erin/inbox", "again"));
    }

    /**
     * A session that outlives its connection stays bound to its name while offline: another name
     * may neither resume it (and take the message queued for alice) nor clear it with Clean Start:
     * CONNACK 0x87, alice's session and queued message kept for her.
     */
    @Test
    void anotherAuthenticationNameCannotResumeOrClearAnOfflineSession() throws Exception {
        String id = "offline-5";
        Mqtt5BlockingClient alice = v5("alice", id, new CopyOnWriteArrayList<>());
        alice.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        alice.subscribeWith().topicFilter("people/alice/inbox").qos(MqttQos.AT_LEAST_ONCE).send();
        alice.disconnect();
        Mqtt5BlockingClient sender = v5("mallory", "mallory-sender-offline", new CopyOnWriteArrayList<>());
        sender.connect();
        sender.publishWith().topic("people/alice/inbox").qos(MqttQos.AT_LEAST_ONCE).payload("queued".getBytes(UTF_8))
                .send();

        for (boolean cleanStart : new boolean[] {false, true}) {
            Mqtt5BlockingClient mallory = v5("mallory", id, new CopyOnWriteArrayList<>());
            assertThatThrownBy(() -> mallory.connectWith().cleanStart(cleanStart).sessionExpiryInterval(300).send())
                    .isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                            e -> assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87));
        }
        Mqtt5BlockingClient aliceAgain = v5("alice", id, new CopyOnWriteArrayList<>());
        try (Mqtt5Publishes inbox = aliceAgain.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(aliceAgain.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent())
                    .isTrue();
            assertThat(text(inbox)).isEqualTo("people/alice/inbox queued");
        }
    }
}
