package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The Mosquitto harness: a real Mosquitto answers on its port, and nothing of it is left after close. */
class MosquittoBrokerTest {
    /** How long a condition may take to become true on a slow machine. */
    private static final long WAIT_MILLIS = 10_000;

    /** The smallest MQTT 5.0 CONNECT: clean start, keep alive 0, no properties, client id "probe". */
    private static final int[] CONNECT_V5 = {
        0x10, 18,                               // CONNECT, remaining length 18
        0x00, 0x04, 'M', 'Q', 'T', 'T',         // protocol name
        0x05,                                   // protocol level: 5.0
        0x02,                                   // connect flags: clean start
        0x00, 0x00,                             // keep alive: 0
        0x00,                                   // properties: none
        0x00, 0x05, 'p', 'r', 'o', 'b', 'e',    // client identifier
    };

    @Test
    void answersAnMqtt5ConnectThenStopsLeavingNothingBehind() throws Exception {
        MosquittoBroker mosquitto = MosquittoBroker.start();
        long pid = mosquitto.pid();
        int port = mosquitto.port();
        try {
            assertThat(mosquitto.host()).isEqualTo("127.0.0.1");
            assertThat(port).isPositive().isNotEqualTo(1883);
            assertThat(mosquitto.version()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(mosquitto.alive()).isTrue();

            try (RawClient client = RawClient.open(port, MqttVersion.V5)) {
                client.sendBytes(CONNECT_V5);
                ConnackPacket connack = client.expect(ConnackPacket.class);
                assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                assertThat(connack.reasonCode().value()).isZero();
                assertThat(connack.sessionPresent()).isFalse();
            }
            awaitTrue("mosquitto logs that it runs and saw our client; its log:\n" + mosquitto.logText(),
                    () -> mosquitto.logText().contains("mosquitto version " + mosquitto.version() + " running")
                            && mosquitto.logText().contains(" as probe "));
        } finally {
            mosquitto.close();
        }

        assertThat(mosquitto.alive()).isFalse();
        awaitTrue("the process " + pid + " is gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        awaitTrue("port " + port + " refuses connections", () -> !accepts(port));
        assertThat(mosquitto.logText()).contains("terminating");
        mosquitto.close(); // a second close does nothing
    }

    @Test
    void appliesTheExtraConfiguration() throws Exception {
        try (MosquittoBroker mosquitto = MosquittoBroker.start("max_qos 1\n");
                RawClient client = RawClient.open(mosquitto.port(), MqttVersion.V5)) {
            client.sendBytes(CONNECT_V5);
            ConnackPacket connack = client.expect(ConnackPacket.class);
            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(connack.properties().maximumQos()).isEqualTo(1);
        }
    }

    @Test
    void twoBrokersRunSideBySideOnTheirOwnPorts() throws Exception {
        try (MosquittoBroker a = MosquittoBroker.start(); MosquittoBroker b = MosquittoBroker.start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            RawClient.connect(a.port(), MqttVersion.V5, "a").close();
            RawClient.connect(b.port(), MqttVersion.V3_1_1, "b").close();
        }
    }

    @Test
    void aConfigurationMosquittoRefusesFailsTheStartWithItsOutput() {
        assertThatThrownBy(() -> MosquittoBroker.start("no_such_option 1\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mosquitto exited")
                .hasMessageContaining("no_such_option");
    }

    @Test
    void aPortTakenAtEveryStartFailsAfterTheRetriesWithTheOutput() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // A second listener on a port held here: each start finds a port taken, as when another
            // process wins the race for the free port.
            assertThatThrownBy(() -> MosquittoBroker.start("listener " + taken.getLocalPort() + " 127.0.0.1\n"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port taken")
                    .hasMessageContaining("Address already in use");
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits (Awaitility, bounded) until {@code condition} holds; the failure says what did not happen. */
    private static void awaitTrue(String what, BooleanSupplier condition) {
        await(what).atMost(Duration.ofMillis(WAIT_MILLIS)).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }
}
