package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.expectPublish;
import static io.switchboard.conformance.Conformance.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.RawClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request Response Information and Response Information (3.1.2.11.6, 3.2.2.3.15, 4.10). The broker
 * answers with a reply-topic prefix private to the client: {@code $reply/{client id}}, the id with
 * {@code % / + #} percent-encoded. Only that client may subscribe under it.
 */
class ResponseInformationConformanceTest {
    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker();

    private static Properties requestResponseInformation(Integer value) {
        return Properties.builder().requestResponseInformation(value).build();
    }

    /** Connects a 5.0 client that asks for Response Information; returns it with its prefix. */
    private static Conformance.Connected asking(String clientId) {
        return Conformance.connectCleanWithAck(broker.port(), MqttVersion.V5, clientId, requestResponseInformation(1));
    }

    @ParameterizedTest(name = "Request Response Information {0}")
    @NullSource
    @ValueSource(ints = {0, 1})
    @DisplayName("CONNACK carries Response Information $reply/{client id} only when the client asked with Request"
            + " Response Information 1 [MQTT-3.1.2-28] (3.2.2.3.15)")
    void onlyWhenAsked(Integer request) {
        String id = "ri-ask-" + request;
        var conn = Conformance.connectCleanWithAck(broker.port(), MqttVersion.V5, id,
                requestResponseInformation(request));
        try (RawClient c = conn.client()) {
            String info = conn.connack().properties().responseInformation();
            if (request != null && request == 1) {
                assertThat(info).isEqualTo("$reply/" + id);
            } else {
                assertThat(info).isNull();
            }
            c.expectNothingMore();
        }
    }

    @Test
    @DisplayName("A client with an assigned identifier [MQTT-3.2.2-16] gets the prefix of that identifier")
    void assignedClientIdentifier() {
        var conn = asking("");
        try (RawClient c = conn.client()) {
            String assigned = conn.connack().properties().assignedClientIdentifier();
            assertThat(assigned).isNotEmpty();
            assertThat(conn.connack().properties().responseInformation()).isEqualTo("$reply/" + assigned);
        }
    }

    @Test
    @DisplayName("Request and response (4.10): the requester subscribes under its prefix, puts a Response Topic there,"
            + " and gets the reply another client publishes to it with the Correlation Data [MQTT-3.3.2-15]"
            + " [MQTT-3.3.2-16]")
    void requestAndResponseThroughThePrefix() {
        var conn = asking("ri-requester");
        String prefix = conn.connack().properties().responseInformation();
        try (RawClient requester = conn.client();
                RawClient responder = RawClient.connect(broker.port(), MqttVersion.V5, "ri-responder")) {
            subscribe(requester, prefix + "/#", 1);
            subscribe(responder, "ri/service", 1);
            byte[] correlation = {1, 2, 3};
            Conformance.publish(requester, Conformance.publishPacket("ri/service", 1, Conformance.nextId(),
                    Properties.builder().responseTopic(prefix + "/call-1").correlationData(correlation).build(),
                    "question"));
            PublishPacket request = expectPublish(responder, "ri/service", "question");
            responder.send(new PubackPacket(request.packetId()));
            assertThat(request.properties().responseTopic()).isEqualTo(prefix + "/call-1");
            Conformance.publish(responder, Conformance.publishPacket(request.properties().responseTopic(), 1,
                    Conformance.nextId(), Properties.builder().correlationData(request.properties().correlationData())
                            .build(), "answer"));
            PublishPacket reply = expectPublish(requester, prefix + "/call-1", "answer");
            assertThat(reply.properties().correlationData()).isEqualTo(correlation);
        }
    }

    @Test
    @DisplayName("A client id with % / + # gets them percent-encoded, so that the id is one topic level; that prefix"
            + " is granted to its owner and receives replies")
    void clientIdWithSpecialCharacters() {
        var conn = asking("ri/a+b#c%d");
        String prefix = conn.connack().properties().responseInformation();
        assertThat(prefix).isEqualTo("$reply/ri%2Fa%2Bb%23c%25d");
        try (RawClient owner = conn.client();
                RawClient other = RawClient.connect(broker.port(), MqttVersion.V5, "ri-special-pub")) {
            subscribe(owner, prefix + "/#", 0);
            Conformance.publishQos1(other, prefix + "/x", false, "reply");
            expectPublish(owner, prefix + "/x", "reply");
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("No one else may subscribe to a filter that reaches another client's reply topics: $reply/{other}/#,"
            + " $reply/#, $reply/+/x, $share/g/$reply/# get 0x87 Not authorized (3.1.1: 0x80) [MQTT-3.8.4-6];"
            + " the client's own prefix is granted; the owner still gets its replies, the others nothing")
    void othersCannotSubscribe(MqttVersion v) {
        var conn = asking("ri-owner-" + v);
        String prefix = conn.connack().properties().responseInformation();
        String intruderId = "ri-intruder-" + v;
        try (RawClient owner = conn.client();
                RawClient intruder = RawClient.connect(broker.port(), v, intruderId);
                RawClient pub = RawClient.connect(broker.port(), MqttVersion.V5, "ri-owner-pub-" + v)) {
            subscribe(owner, prefix + "/#", 0);
            SubackPacket ack = Conformance.subscribeForSuback(intruder, Properties.EMPTY,
                    new TopicSubscription(prefix + "/#", 0),
                    new TopicSubscription("$reply/#", 0),
                    new TopicSubscription("$reply/+/x", 0),
                    new TopicSubscription("$share/g/$reply/#", 0),
                    new TopicSubscription("$reply/" + intruderId + "/#", 0));
            int refused = v.isV5() ? ReasonCode.NOT_AUTHORIZED.value() : 0x80;
            assertThat(ack.reasonCodes()).extracting(ReasonCode::value)
                    .containsExactly(refused, refused, refused, refused, 0x00);
            Conformance.publishQos1(pub, prefix + "/x", false, "private");
            expectPublish(owner, prefix + "/x", "private");
            intruder.expectNothingMore();
        }
    }

    /** {@code mqtt.responseInformation: false}: no prefix is handed out, and none is protected. */
    @Nested
    class WithResponseInformationOff {
        @RegisterExtension
        static EmbeddedBroker off = Conformance.brokerWith("responseInformation: false");

        @Test
        @DisplayName("mqtt.responseInformation false: no Response Information even when asked (it is optional,"
                + " 3.1.2.11.6), and $reply/# is an ordinary filter")
        void noResponseInformation() {
            var conn = Conformance.connectCleanWithAck(off.port(), MqttVersion.V5, "ri-off",
                    requestResponseInformation(1));
            try (RawClient c = conn.client()) {
                assertThat(conn.connack().properties().responseInformation()).isNull();
                subscribe(c, "$reply/#", 0);
            }
        }
    }
}
