package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.connect;
import static io.switchboard.conformance.Conformance.connectPacket;
import static io.switchboard.conformance.Conformance.expectDisconnectOrClose;
import static io.switchboard.conformance.Conformance.persistent;
import static io.switchboard.conformance.Conformance.publish;
import static io.switchboard.conformance.Conformance.receive;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A second connection with the same client id: 3.1.1 [MQTT-3.1.4-2], 5.0 [MQTT-3.1.4-3] (the existing
 * connection is disconnected; 5.0 with DISCONNECT 0x8E, section 4.13).
 */
class TakeoverConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static RawClient publisher(MqttVersion v, String name) {
        return connect(broker, connectPacket(v, "to-pub-" + name + "-" + v, true, null, 0, null), false);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("takeover with Clean Start 0: the old connection gets DISCONNECT 0x8E (5.0) or is closed (3.1.1); "
            + "the new one has the session and its messages [MQTT-3.1.4-2] (3.1.1), [MQTT-3.1.4-3] (5.0), [MQTT-3.2.2-3]")
    void takeoverKeepsSession(MqttVersion v) {
        String id = "to-keep-" + v;
        String topic = "to/keep/" + v;
        try (RawClient first = connect(broker, persistent(v, id, false), false)) {
            subscribe(first, 1, topic, 1);
            try (RawClient second = connect(broker, persistent(v, id, false), true)) {
                expectDisconnectOrClose(first, ReasonCode.SESSION_TAKEN_OVER);
                try (RawClient pub = publisher(v, "keep")) {
                    publish(pub, topic, 1, 1, "to-second");
                    publish(pub, topic, 1, 2, "again");
                }
                receive(second, topic, "to-second");
                receive(second, topic, "again");
                second.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("takeover with Clean Start 1: the old connection is disconnected, the session starts anew "
            + "[MQTT-3.1.4-2]/[MQTT-3.1.2-6] (3.1.1), [MQTT-3.1.4-3]/[MQTT-3.1.2-4] (5.0)")
    void takeoverWithCleanStart(MqttVersion v) {
        String id = "to-clean-" + v;
        String topic = "to/clean/" + v;
        try (RawClient first = connect(broker, persistent(v, id, false), false)) {
            subscribe(first, 1, topic, 1);
            try (RawClient second = connect(broker, persistent(v, id, true), false)) {
                expectDisconnectOrClose(first, ReasonCode.SESSION_TAKEN_OVER);
                try (RawClient pub = publisher(v, "clean")) {
                    ReasonCode rc = publish(pub, topic, 1, 1, "nobody");
                    if (v.isV5()) {
                        assertThat(rc).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
                    }
                }
                second.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("20 takeovers in a row leave exactly one live connection, which gets the messages [MQTT-3.1.4-3]")
    void manySequentialTakeovers(MqttVersion v) {
        String id = "to-seq-" + v;
        String topic = "to/seq/" + v;
        List<RawClient> clients = new ArrayList<>();
        try {
            RawClient c = connect(broker, persistent(v, id, false), false);
            clients.add(c);
            subscribe(c, 1, topic, 1);
            for (int i = 1; i < 20; i++) {
                RawClient next = connect(broker, persistent(v, id, false), true);
                expectDisconnectOrClose(clients.get(i - 1), ReasonCode.SESSION_TAKEN_OVER);
                clients.add(next);
            }
            RawClient last = clients.get(19);
            try (RawClient pub = publisher(v, "seq")) {
                publish(pub, topic, 1, 1, "last");
            }
            receive(last, topic, "last");
            last.expectNothingMore();
            assertThat(clients.subList(0, 19)).allMatch(RawClient::isClosed);
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("20 concurrent CONNECTs with one client id: exactly one connection survives and gets the messages")
    void concurrentTakeovers(MqttVersion v) {
        String id = "to-conc-" + v;
        String topic = "to/conc/" + v;
        try (RawClient setup = connect(broker, persistent(v, id, false), false)) {
            subscribe(setup, 1, topic, 1);
            Conformance.disconnect(setup);
        }
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(RawClient.open(broker.port(), v));
            }
            for (RawClient c : clients) {
                c.send(persistent(v, id, false));
            }
            // Every connection is eventually closed except one: the last to be attached.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> clients.stream().filter(RawClient::isClosed).count() == 19);
            RawClient live = clients.stream().filter(c -> !c.isClosed()).findFirst().orElseThrow();
            ConnackPacket ack = live.expect(ConnackPacket.class);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(ack.sessionPresent()).isTrue();
            for (RawClient c : clients) {
                if (c != live) {
                    // Closed either before its CONNACK or after CONNACK and (5.0) DISCONNECT 0x8E.
                    List<MqttPacket> seen = drain(c);
                    for (MqttPacket p : seen) {
                        if (p instanceof ConnackPacket a) {
                            assertThat(a.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                        } else {
                            assertThat(v.isV5()).as("3.1.1 gets no DISCONNECT: " + p).isTrue();
                            assertThat(((DisconnectPacket) p).reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
                        }
                    }
                }
            }
            try (RawClient pub = publisher(v, "conc")) {
                publish(pub, topic, 1, 1, "survivor");
            }
            receive(live, topic, "survivor");
            live.expectNothingMore();
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("takeover of a session that ends with its connection (5.0 Session Expiry 0, 3.1.1 Clean Session 1) "
            + "by Clean Start 0: the old session ended, so Session Present 0 and its subscriptions are gone "
            + "(5.0 3.1.2.11.2, [MQTT-3.2.2-2]; 3.1.1 [MQTT-3.1.2-6], [MQTT-3.2.2-2])")
    void takeoverOfSessionThatEndsWithItsConnection(MqttVersion v) {
        String id = "to-ephemeral-" + v;
        String topic = "to/ephemeral/" + v;
        try (RawClient first = connect(broker, connectPacket(v, id, true, null, 0, null), false)) {
            subscribe(first, 1, topic, 1);
            try (RawClient second = connect(broker, persistent(v, id, false), false)) {
                expectDisconnectOrClose(first, ReasonCode.SESSION_TAKEN_OVER);
                try (RawClient pub = publisher(v, "ephemeral")) {
                    ReasonCode rc = publish(pub, topic, 1, 1, "nobody");
                    if (v.isV5()) {
                        assertThat(rc).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
                    }
                }
                second.expectNothingMore();
            }
        }
    }

    /** The packets a closed client received before the close. */
    private static List<MqttPacket> drain(RawClient c) {
        List<MqttPacket> seen = new ArrayList<>();
        while (true) {
            try {
                seen.add(c.receive());
            } catch (AssertionError closed) {
                assertThat(closed).hasMessageContaining("closed the connection");
                return seen;
            }
        }
    }
}
