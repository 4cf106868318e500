package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.ack;
import static io.switchboard.conformance.Conformance.connectClean;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.broker.config.SysConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker's own topics: statistics under {@code $SYS/broker/} and client lifecycle events under
 * {@code $SYS/events/clients/}. The periodic publication is off here (interval 0): the test asks
 * for one publication, so nothing waits on a clock.
 */
class SysConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c.withSys(new SysConfig(0, true)));

    @Test
    @DisplayName("$SYS/broker/... carries every documented statistic, retained")
    void statisticsArePublishedRetained() {
        try (RawClient other = connectClean(broker.port(), MqttVersion.V5, "sys-other", Properties.EMPTY)) {
            broker.broker().sys().publishNow();
            try (RawClient c = connectClean(broker.port(), MqttVersion.V5, "sys-stats", Properties.EMPTY)) {
                subscribe(c, "$SYS/broker/#", 0);
                Map<String, String> got = new HashMap<>();
                int expected = broker.broker().sys().snapshot().size();
                for (int i = 0; i < expected; i++) {
                    PublishPacket p = c.expect(PublishPacket.class);
                    assertThat(p.retain()).as("retained: a new subscriber sees the latest values").isTrue();
                    got.put(p.topic().substring("$SYS/broker/".length()), p.payload().toUtf8String());
                }
                assertThat(got).containsKeys("version", "uptime", "clients/connected", "clients/total",
                        "clients/maximum", "messages/received", "messages/sent", "messages/received/perSecond",
                        "messages/sent/perSecond", "bytes/received", "bytes/sent", "bytes/received/perSecond",
                        "bytes/sent/perSecond", "subscriptions/count", "retained/count", "queued/count",
                        "dropped/count", "dropped/queueFull", "dropped/offlineQos0", "dropped/expired",
                        "dropped/tooLarge", "dropped/slowSubscriber", "dropped/notAuthorized");
                assertThat(Long.parseLong(got.get("clients/connected"))).isGreaterThanOrEqualTo(1);
                assertThat(Long.parseLong(got.get("clients/maximum"))).isGreaterThanOrEqualTo(1);
                assertThat(Long.parseLong(got.get("bytes/received"))).isPositive();
                c.expectNothingMore();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("An ordinary '#' subscription does not see $SYS topics [MQTT-4.7.2-1]")
    void hashDoesNotMatchSys(MqttVersion v) {
        try (RawClient c = connectClean(broker.port(), v, "sys-hash-" + v, Properties.EMPTY)) {
            subscribe(c, "#", 0);
            broker.broker().sys().publishNow();
            try (RawClient x = connectClean(broker.port(), v, "sys-hash-event-" + v, Properties.EMPTY)) {
                Conformance.disconnect(x);
            }
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("Connected and disconnected events: JSON with reason code, version, address, listener, clean start, expiry, times")
    void lifecycleEvents() throws Exception {
        try (RawClient watcher = connectClean(broker.port(), MqttVersion.V5, "sys-watcher", Properties.EMPTY)) {
            subscribe(watcher, "$SYS/events/clients/+/+", 1);
            RawClient device = RawClient.connect(broker.port(), Conformance.connectPacket(MqttVersion.V5,
                    "door/42", true, 60L, 0, null));
            device.expect(io.switchboard.codec.packet.ConnackPacket.class);
            PublishPacket connected = watcher.expect(PublishPacket.class);
            ack(watcher, connected);
            // The client id is one topic level: '/' is percent-encoded.
            assertThat(connected.topic()).isEqualTo("$SYS/events/clients/door%2F42/connected");
            assertThat(connected.properties().contentType()).isEqualTo("application/json");
            JsonNode c = JSON.readTree(connected.payload().toUtf8String());
            assertThat(c.get("event").asText()).isEqualTo("connected");
            assertThat(c.get("clientId").asText()).isEqualTo("door/42");
            assertThat(c.get("protocolVersion").asText()).isEqualTo("5.0");
            assertThat(c.get("remoteAddress").asText()).contains("127.0.0.1");
            assertThat(c.get("listener").asText()).isEqualTo("default");
            assertThat(c.get("cleanStart").asBoolean()).isTrue();
            assertThat(c.get("sessionExpiryInterval").asLong()).isEqualTo(60);
            assertThat(c.get("connectedAt").asText()).isNotEmpty();

            device.send(new DisconnectPacket(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, Properties.EMPTY));
            device.expectClosed();
            device.close();
            PublishPacket disconnected = watcher.expect(PublishPacket.class);
            ack(watcher, disconnected);
            assertThat(disconnected.topic()).isEqualTo("$SYS/events/clients/door%2F42/disconnected");
            JsonNode d = JSON.readTree(disconnected.payload().toUtf8String());
            assertThat(d.get("event").asText()).isEqualTo("disconnected");
            assertThat(d.get("reasonCode").asInt()).isEqualTo(0x04);
            assertThat(d.get("disconnectedAt").asText()).isNotEmpty();
            assertThat(d.get("connectedAt").asText()).isEqualTo(c.get("connectedAt").asText());

            // A connection lost without DISCONNECT: reason code null, "connection lost".
            RawClient lost = RawClient.connect(broker.port(), MqttVersion.V3_1_1, "sys-lost"); // CONNACK read
            ack(watcher, watcher.expect(PublishPacket.class));
            lost.close();
            PublishPacket gone = watcher.expect(PublishPacket.class);
            ack(watcher, gone);
            JsonNode g = JSON.readTree(gone.payload().toUtf8String());
            assertThat(gone.topic()).isEqualTo("$SYS/events/clients/sys-lost/disconnected");
            assertThat(g.get("reasonCode").isNull()).isTrue();
            assertThat(g.get("reason").asText()).isEqualTo("connection lost");
            assertThat(g.get("protocolVersion").asText()).isEqualTo("3.1.1");
        }
    }
}
