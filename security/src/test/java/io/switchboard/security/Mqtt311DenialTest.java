package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.security.WireClient.Endpoint;
import io.switchboard.security.WireClient.Library;
import io.switchboard.security.WireClient.Received;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Denials to MQTT 3.1.1 clients, which have no reason codes: over TLS with client certificates,
 * Eclipse Paho 3 and the HiveMQ MQTT Client's 3.1.1 API. A denied filter gets SUBACK 0x80 while the
 * others of the same SUBSCRIBE are granted; a denied PUBLISH closes the connection (the default,
 * {@code security.deniedPublishV311: disconnect}) or, with {@code drop}, is acknowledged as QoS
 * says and dropped, the connection staying ([MQTT-3.3.5-2] allows either). Never delivered.
 */
class Mqtt311DenialTest {
    static final String POLICY = """
            clients:
              - {authenticationName: sensor-1, attributes: {type: sensor}}
              - {authenticationName: sensor-2, attributes: {type: sensor}}
              - {authenticationName: watcher, attributes: {type: watcher}}
            clientGroups:
              - {name: sensors, query: 'attributes.type = "sensor"'}
              - {name: watchers, query: 'attributes.type = "watcher"'}
            topicSpaces:
              - {name: own, topicTemplates: ['sensors/${client.authenticationName}/#']}
              - {name: all, topicTemplates: ['sensors/#']}
            permissionBindings:
              - {name: ownPub, clientGroupName: sensors, topicSpaceName: own, permission: publisher}
              - {name: ownSub, clientGroupName: sensors, topicSpaceName: own, permission: subscriber}
              - {name: watch, clientGroupName: watchers, topicSpaceName: all, permission: subscriber}
            """;
    /** The default: a denied 3.1.1 PUBLISH disconnects. */
    static final SecureBroker DISCONNECT = new SecureBroker(POLICY);
    static final SecureBroker DROP = new SecureBroker(POLICY, "deniedPublishV311: drop");
    @RegisterExtension
    static final EmbeddedBroker DISCONNECT_BROKER = DISCONNECT.broker;
    @RegisterExtension
    static final EmbeddedBroker DROP_BROKER = DROP.broker;

    private final List<WireClient> open = new ArrayList<>();
    private int ids;

    @AfterEach
    void closeClients() throws Exception {
        for (WireClient c : open) {
            c.close();
        }
    }

    /** A connected client of the certificate listener as {@code name}, MQTT {@code version}. */
    WireClient connected(SecureBroker b, Library library, int version, String name) throws Exception {
        WireClient c = WireClient.create(library, version, name + "-" + library + "-" + ids++,
                Endpoint.tls(b, "tls", b.certificate(name)));
        open.add(c);
        assertThat(c.connect().code()).isZero();
        return c;
    }

    /** The watcher, which may read every sensor's topics: what it would receive shows what was delivered. */
    WireClient watcher(SecureBroker b, Library library) throws Exception {
        WireClient w = connected(b, library, 3, "watcher");
        assertThat(w.subscribe(1, "sensors/#")).containsExactly(1);
        return w;
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void aDeniedFilterGetsSuback0x80AndTheOthersAreGranted(Library library) throws Exception {
        WireClient sensor1 = connected(DISCONNECT, library, 3, "sensor-1");
        WireClient sensor2 = connected(DISCONNECT, library, 3, "sensor-2");
        // [MQTT-3.8.4-4] one SUBSCRIBE handled as a sequence of them, one SUBACK; [MQTT-3.8.4-5] a
        // return code per filter: the QoS granted, or 0x80 Failure for another sensor's topics and for
        // sensors/#, which reaches beyond sensor-1's own.
        assertThat(sensor1.subscribe(1, "sensors/sensor-1/#", "sensors/sensor-2/#", "sensors/#", "sensors/sensor-1/cmd"))
                .containsExactly(1, 0x80, 0x80, 1);
        // A refused filter does not close the connection; the granted ones work, the refused ones
        // deliver nothing: sensor-2's message, sent first, does not come before sensor-1's own.
        assertThat(sensor2.publish("sensors/sensor-2/data", "not for sensor-1", 1)).isZero();
        assertThat(sensor1.publish("sensors/sensor-1/cmd", "own", 1)).isZero();
        assertThat(sensor1.next()).isEqualTo(new Received("sensors/sensor-1/cmd", "own"));
        assertThat(sensor1.isConnected()).isTrue();
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"PAHO, 0", "PAHO, 1", "PAHO, 2", "HIVEMQ, 0", "HIVEMQ, 1", "HIVEMQ, 2"})
    void byDefaultADeniedPublishClosesTheConnectionAndIsNeverDelivered(Library library, int qos) throws Exception {
        WireClient watcher = watcher(DISCONNECT, library);
        WireClient sensor1 = connected(DISCONNECT, library, 3, "sensor-1");
        try {
            sensor1.publish("sensors/sensor-2/data", "forged", qos);
        } catch (Exception closedBeforeTheAcknowledgement) {
            // QoS 1 and 2: the flow ends with the connection, not with PUBACK / PUBCOMP.
        }
        // [MQTT-3.3.5-2] no way to say "not authorized" in 3.1.1: the connection is closed.
        assertThat(sensor1.closedByBroker().get(WireClient.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(-1);
        await().until(() -> !sensor1.isConnected()); // HiveMQ may tell its listener before its state
        // Never delivered: the watcher's next message is a marker sensor-2 sends now.
        WireClient sensor2 = connected(DISCONNECT, library, 3, "sensor-2");
        assertThat(sensor2.publish("sensors/sensor-2/data", "marker", 1)).isZero();
        assertThat(watcher.next()).isEqualTo(new Received("sensors/sensor-2/data", "marker"));
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void theSettingIsFor311OnlyAnMqtt5PublishGetsPuback0x87(Library library) throws Exception {
        WireClient watcher = watcher(DISCONNECT, library);
        WireClient sensor1 = connected(DISCONNECT, library, 5, "sensor-1");
        assertThat(sensor1.publish("sensors/sensor-2/data", "forged", 1)).isEqualTo(0x87);
        assertThat(sensor1.isConnected()).isTrue();
        assertThat(sensor1.publish("sensors/sensor-1/data", "marker", 1)).isZero();
        assertThat(watcher.next()).isEqualTo(new Received("sensors/sensor-1/data", "marker"));
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"PAHO, 0", "PAHO, 1", "PAHO, 2", "HIVEMQ, 0", "HIVEMQ, 1", "HIVEMQ, 2"})
    void withDropADeniedPublishIsAcknowledgedNotDeliveredAndTheConnectionStays(Library library, int qos)
            throws Exception {
        WireClient watcher = watcher(DROP, library);
        WireClient sensor1 = connected(DROP, library, 3, "sensor-1");
        // [MQTT-3.3.5-2] a positive acknowledgement as QoS says: PUBACK, or PUBREC and PUBCOMP (the call returns).
        sensor1.publish("sensors/sensor-2/data", "forged", qos);
        assertThat(sensor1.isConnected()).isTrue();
        // The same connection goes on, and what it sends after is what the watcher gets first.
        assertThat(sensor1.publish("sensors/sensor-1/data", "marker", 1)).isZero();
        assertThat(watcher.next()).isEqualTo(new Received("sensors/sensor-1/data", "marker"));
        assertThat(sensor1.closedByBroker()).isNotDone();
    }
}
