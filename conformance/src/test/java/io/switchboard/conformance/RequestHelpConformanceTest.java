package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.config.RpcConfig;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import io.switchboard.testkit.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker's help with request/response (docs/rpc.md, "Broker help"), beyond the specification:
 * a request (a PUBLISH with a Response Topic, 3.3.2.3.5) that matches no subscriber, or expires in a
 * queue before delivery, is answered by the broker on its Response Topic with its Correlation Data
 * (3.3.2.3.6) and the user properties rpc-status and rpc-message.
 */
class RequestHelpConformanceTest {
    static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(c -> c, b -> b.clock(CLOCK));

    private static Properties request(String responseTopic, byte[] correlation, Long expiry) {
        return Properties.builder().responseTopic(responseTopic).correlationData(correlation)
                .messageExpiryInterval(expiry).build();
    }

    private static Map<String, String> status(PublishPacket p) {
        return Map.of("rpc-status", p.properties().userProperties().stream()
                .filter(u -> u.name().equals("rpc-status")).map(UserProperty::value).findFirst().orElse("-"));
    }

    /** The next {@code n} packets, whatever their order (a PUBACK and a PUBLISH race each other). */
    private static List<MqttPacket> next(RawClient c, int n) {
        List<MqttPacket> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(c.receive());
        }
        return all;
    }

    private static PublishPacket the(List<MqttPacket> packets, Class<PublishPacket> type) {
        return packets.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("A QoS 0 request nobody serves gets the broker's reply: its Response Topic, its Correlation Data,"
            + " rpc-status no-responders, an rpc-message, an empty payload, and no Response Topic of its own")
    void qos0RequestWithoutResponder() {
        try (RawClient requester = RawClient.connect(broker.port(), MqttVersion.V5, "rh-q0")) {
            subscribe(requester, "rh-q0/replies", 1);
            byte[] correlation = {9, 8, 7};
            requester.send(Conformance.publishPacket("rh/nobody/q0", 0, 0, request("rh-q0/replies", correlation, null), "?"));
            PublishPacket reply = requester.expect(PublishPacket.class);
            assertThat(reply.topic()).isEqualTo("rh-q0/replies");
            assertThat(reply.properties().correlationData()).isEqualTo(correlation);
            assertThat(reply.properties().responseTopic()).isNull(); // a reply is never answered with a reply
            assertThat(reply.payload().isEmpty()).isTrue();
            assertThat(status(reply)).containsEntry("rpc-status", "no-responders");
            assertThat(reply.properties().userProperties()).extracting(UserProperty::name).contains("rpc-message");
        }
    }

    @Test
    @DisplayName("A QoS 1 request nobody serves gets PUBACK 0x10 (No matching subscribers) and the broker's reply")
    void qos1RequestWithoutResponder() {
        try (RawClient requester = RawClient.connect(broker.port(), MqttVersion.V5, "rh-q1")) {
            subscribe(requester, "rh-q1/replies", 1);
            int id = Conformance.nextId();
            requester.send(Conformance.publishPacket("rh/nobody/q1", 1, id, request("rh-q1/replies", new byte[] {1}, 30L), "?"));
            List<MqttPacket> got = next(requester, 2);
            PubackPacket ack = got.stream().filter(PubackPacket.class::isInstance).map(PubackPacket.class::cast)
                    .findFirst().orElseThrow();
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
            PublishPacket reply = the(got, PublishPacket.class);
            assertThat(status(reply)).containsEntry("rpc-status", "no-responders");
            // It lives no longer than the request would have.
            assertThat(reply.properties().messageExpiryInterval()).isNotNull().isLessThanOrEqualTo(30L);
        }
    }

    @Test
    @DisplayName("A request someone serves gets no reply from the broker, and neither does a reply nobody reads")
    void noHelpWhenServedOrForReplies() {
        try (RawClient requester = RawClient.connect(broker.port(), MqttVersion.V5, "rh-served");
                RawClient responder = RawClient.connect(broker.port(), MqttVersion.V5, "rh-responder")) {
            subscribe(requester, "rh-served/replies", 1);
            subscribe(responder, "rh/served", 0);
            long before = broker.broker().metrics().rpcNoResponderReplies.sum();
            Conformance.publish(requester, Conformance.publishPacket("rh/served", 1, Conformance.nextId(),
                    request("rh-served/replies", new byte[] {2}, null), "?"));
            Conformance.expectPublish(responder, "rh/served", "?");
            // A reply (Correlation Data, no Response Topic) to a topic nobody reads: dropped as usual.
            Conformance.publish(responder, Conformance.publishPacket("rh/nobody/replies", 1, Conformance.nextId(),
                    Properties.builder().correlationData(new byte[] {2}).build(), "answer"));
            requester.expectNothingMore();
            assertThat(broker.broker().metrics().rpcNoResponderReplies.sum()).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("The broker's reply to a Response Topic nobody reads goes nowhere and is not answered in turn (no loop)")
    void noLoop() {
        try (RawClient requester = RawClient.connect(broker.port(), MqttVersion.V5, "rh-loop")) {
            long before = broker.broker().metrics().rpcNoResponderReplies.sum();
            Conformance.publish(requester, Conformance.publishPacket("rh/nobody/loop", 1, Conformance.nextId(),
                    request("rh/nobody/loop", new byte[] {3}, null), "?")); // its own topic as Response Topic
            requester.expectNothingMore();
            assertThat(broker.broker().metrics().rpcNoResponderReplies.sum()).isEqualTo(before + 1);
        }
    }

    @Test
    @DisplayName("A request that expires in an offline responder's queue is never delivered [MQTT-3.3.2-5]; the"
            + " requester gets the broker's reply rpc-status expired instead of silence")
    void expiredInQueue() {
        String device = "rh-device";
        try (RawClient d = Conformance.connect(broker, Conformance.persistent(MqttVersion.V5, device, true), false)) {
            subscribe(d, "rh/device/unlock", 1);
            Conformance.disconnect(d);
        }
        try (RawClient requester = RawClient.connect(broker.port(), MqttVersion.V5, "rh-caller")) {
            subscribe(requester, "rh-caller/replies", 1);
            byte[] correlation = {4, 2};
            Conformance.publish(requester, Conformance.publishPacket("rh/device/unlock", 1, Conformance.nextId(),
                    request("rh-caller/replies", correlation, 5L), "open")); // queued for the offline device
            CLOCK.advance(Duration.ofSeconds(6));
            try (RawClient d = Conformance.connect(broker, Conformance.persistent(MqttVersion.V5, device, false), true)) {
                PublishPacket reply = requester.expect(PublishPacket.class);
                assertThat(reply.topic()).isEqualTo("rh-caller/replies");
                assertThat(reply.properties().correlationData()).isEqualTo(correlation);
                assertThat(status(reply)).containsEntry("rpc-status", "expired");
                d.expectNothingMore(); // the stale "unlock" is never run
            }
        }
    }

    @Test
    @DisplayName("$SYS counts requests, replies, and the broker's no-responder and expiry replies")
    void counted() {
        Map<String, String> sys = broker.broker().sys().snapshot();
        assertThat(sys).containsKeys("rpc/requests", "rpc/replies", "rpc/noResponderReplies", "rpc/expiryReplies");
        long requests = Long.parseLong(sys.get("rpc/requests"));
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.V5, "rh-count")) {
            Conformance.publish(c, Conformance.publishPacket("rh/nobody/count", 1, Conformance.nextId(),
                    request("rh/nobody/count-replies", new byte[] {5}, null), "?"));
        }
        assertThat(Long.parseLong(broker.broker().sys().snapshot().get("rpc/requests"))).isEqualTo(requests + 1);
    }

    @Nested
    @DisplayName("with rpc.noResponderReplies and rpc.expiryReplies false")
    class SwitchedOff {
        @RegisterExtension
        static EmbeddedBroker off = new EmbeddedBroker(c -> c.withRpc(new RpcConfig(false, false)));

        @Test
        @DisplayName("A request nobody serves gets only PUBACK 0x10, no reply from the broker")
        void nothing() {
            try (RawClient requester = RawClient.connect(off.port(), MqttVersion.V5, "rh-off")) {
                subscribe(requester, "rh-off/replies", 1);
                assertThat(Conformance.publish(requester, Conformance.publishPacket("rh/nobody/off", 1,
                        Conformance.nextId(), request("rh-off/replies", new byte[] {6}, null), "?")))
                        .isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
                requester.expectNothingMore();
            }
        }
    }
}
