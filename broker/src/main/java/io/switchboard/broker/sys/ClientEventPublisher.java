package io.switchboard.broker.sys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.protocol.ClientEvents;
import io.switchboard.broker.routing.Topics;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Client lifecycle events as MQTT messages, so that backends can track device presence:
 * {@code $SYS/events/clients/{client id}/connected} and {@code .../disconnected}, QoS 1, not
 * retained, with a JSON payload (Content Type application/json, Payload Format Indicator 1). The
 * client id is one topic level ({@link Topics#encodeLevel}). Being {@code $} topics, an ordinary
 * {@code #} subscription does not see them ([MQTT-4.7.2-1]); subscribe to
 * {@code $SYS/events/clients/+/+} or one client's events.
 */
public final class ClientEventPublisher implements ClientEvents {
    public static final String PREFIX = "$SYS/events/clients/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Properties PROPS = Properties.builder().contentType("application/json")
            .payloadFormatIndicator(1).build();

    private final Router router;

    public ClientEventPublisher(Router router) {
        this.router = router;
    }

    @Override
    public void connected(Client c) {
        Map<String, Object> e = common(c, "connected");
        publish(c.clientId(), "connected", e);
    }

    @Override
    public void disconnected(Client c, ReasonCode reasonCode, String reason, long disconnectedAtMillis) {
        Map<String, Object> e = common(c, "disconnected");
        e.put("reasonCode", reasonCode == null ? null : reasonCode.value());
        e.put("reason", reasonCode == null ? "connection lost" : reason != null ? reason : reasonCode.description());
        e.put("disconnectedAt", Instant.ofEpochMilli(disconnectedAtMillis).toString());
        publish(c.clientId(), "disconnected", e);
    }

    private static Map<String, Object> common(Client c, String event) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", event);
        e.put("clientId", c.clientId());
        e.put("protocolVersion", c.version() == MqttVersion.V5 ? "5.0" : c.version() == MqttVersion.V3_1_1
                ? "3.1.1" : "3.1");
        e.put("remoteAddress", c.remoteAddress());
        e.put("listener", c.listener());
        e.put("cleanStart", c.cleanStart());
        e.put("sessionExpiryInterval", c.sessionExpiryInterval());
        e.put("connectedAt", Instant.ofEpochMilli(c.connectedAtMillis()).toString());
        return e;
    }

    private void publish(String clientId, String event, Map<String, Object> body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        router.publish(new Message(PREFIX + Topics.encodeLevel(clientId) + "/" + event, 1, false,
                Payload.wrap(json), PROPS, "", 0));
    }
}
