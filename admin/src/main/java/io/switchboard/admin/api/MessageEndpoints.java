package io.switchboard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.admin.http.ApiException;
import io.switchboard.admin.http.Json;
import io.switchboard.admin.http.Request;
import io.switchboard.admin.http.Response;
import io.switchboard.admin.http.Routes;
import io.switchboard.broker.Broker;
import io.switchboard.broker.message.Message;
import io.switchboard.broker.routing.Topics;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Retained messages (list, read, delete) and publishing as the broker, with every MQTT 5 property. */
final class MessageEndpoints {
    /** The largest string MQTT carries: a two-byte length of UTF-8 ([MQTT-1.5.4-1]). */
    private static final int MAX_STRING_BYTES = 65_535;

    private final Broker broker;
    private final AdminAudit audit;

    MessageEndpoints(Broker broker, AdminAudit audit) {
        this.broker = broker;
        this.audit = audit;
    }

    void register(Routes routes) {
        routes.add(HttpMethod.GET, "/api/v1/retained", Routes.Access.READ, this::list)
                .add(HttpMethod.GET, "/api/v1/retained/message", Routes.Access.READ, this::read)
                .add(HttpMethod.DELETE, "/api/v1/retained/message", Routes.Access.ADMIN, this::delete)
                .add(HttpMethod.POST, "/api/v1/publish", Routes.Access.ADMIN, this::publish);
    }

    private Response list(Request r) {
        String filter = r.query("filter") == null ? "#" : r.query("filter");
        String problem = Topics.checkFilter(filter);
        if (problem != null) {
            throw ApiException.badParameter("filter", null, problem);
        }
        List<Message> found = broker.retained().match(filter, broker.clock().millis());
        return Response.json(Page.of(r, found, Message::topic, m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("topic", m.topic());
            o.put("qos", m.qos());
            o.put("payloadBytes", m.payload().size());
            o.put("contentType", m.properties().contentType());
            o.put("expiresAt", m.expiresAtMillis() == 0 ? null : Instant.ofEpochMilli(m.expiresAtMillis()).toString());
            return o;
        }));
    }

    private Message retained(Request r) {
        String topic = r.requiredQuery("topic");
        Message m = broker.retained().get(topic);
        if (m == null || m.isExpired(broker.clock().millis())) {
            throw ApiException.notFound("no retained message on topic '" + topic + "'");
        }
        return m;
    }

    private Response read(Request r) {
        Message m = retained(r);
        byte[] payload = m.payload().toByteArray();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("topic", m.topic());
        o.put("qos", m.qos());
        o.put("payload", Base64.getEncoder().encodeToString(payload));
        o.put("payloadText", utf8(payload));
        o.put("properties", properties(m));
        return Response.json(o);
    }

    private Map<String, Object> properties(Message m) {
        Properties p = m.properties();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("payloadFormatIndicator", p.payloadFormatIndicator());
        o.put("contentType", p.contentType());
        o.put("responseTopic", p.responseTopic());
        o.put("correlationData", p.correlationData() == null ? null
                : Base64.getEncoder().encodeToString(p.correlationData()));
        o.put("messageExpiryInterval", m.remainingExpirySeconds(broker.clock().millis()));
        o.put("userProperties", p.userProperties().stream()
                .map(u -> Map.of("name", u.name(), "value", u.value())).toList());
        return o;
    }

    private Response delete(Request r) throws Exception {
        String topic = r.requiredQuery("topic");
        if (!Waits.get(broker.deleteRetained(topic))) {
            throw ApiException.notFound("no retained message on topic '" + topic + "'");
        }
        audit.changed(r, "deleted the retained message of '" + topic + "'");
        return Response.noContent();
    }

    private Response publish(Request r) throws Exception {
        JsonNode body = r.json();
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!PUBLISH_FIELDS.contains(f)) {
                throw ApiException.badParameter(f, null, "unknown field; allowed: " + String.join(", ", PUBLISH_FIELDS));
            }
        }
        String topic = mqttString(body, "topic");
        if (topic == null) {
            throw ApiException.badParameter("topic", null, "required: a topic name");
        }
        String problem = Topics.checkName(topic);
        if (problem != null) {
            throw ApiException.badParameter("topic", null, problem);
        }
        if (topic.startsWith(Topics.SYS_PREFIX)) {
            throw ApiException.badParameter("topic", topic, "$SYS/ topics are the broker's own statistics");
        }
        byte[] payload = bytes(body, "payload", "payloadBase64");
        int qos = Json.integer(body, "qos", 0, 2) == null ? 0 : Json.integer(body, "qos", 0, 2).intValue();
        boolean retain = Boolean.TRUE.equals(Json.bool(body, "retain"));
        Properties.Builder p = Properties.builder();
        Long format = Json.integer(body, "payloadFormatIndicator", 0, 1);
        if (format != null) {
            if (format == 1 && utf8(payload) == null) {
                // As a client's PUBLISH would be refused (5.0 section 3.3.2.3.2): marked UTF-8, and is not.
                throw ApiException.badParameter("payloadFormatIndicator", 1, "the payload is not well-formed UTF-8");
            }
            p.payloadFormatIndicator(format.intValue());
        }
        p.contentType(mqttString(body, "contentType"));
        String responseTopic = mqttString(body, "responseTopic");
        if (responseTopic != null && Topics.checkName(responseTopic) != null) {
            // [MQTT-3.3.2-14] the Response Topic is a topic name
            throw ApiException.badParameter("responseTopic", null, Topics.checkName(responseTopic));
        }
        p.responseTopic(responseTopic);
        byte[] correlation = body.has("correlationData") || body.has("correlationDataBase64")
                ? bytes(body, "correlationData", "correlationDataBase64") : null;
        if (correlation != null && correlation.length > MAX_STRING_BYTES) {
            throw ApiException.badParameter("correlationData", null, "at most 65535 bytes");
        }
        p.correlationData(correlation);
        JsonNode users = body.get("userProperties");
        if (users != null && !users.isNull()) {
            if (!users.isArray()) {
                throw ApiException.badParameter("userProperties", null, "an array of {name, value}");
            }
            List<UserProperty> list = new ArrayList<>();
            for (JsonNode u : users) {
                if (!u.isObject()) {
                    throw ApiException.badParameter("userProperties", null, "an array of {name, value}");
                }
                String name = mqttString(u, "name");
                String value = mqttString(u, "value");
                if (name == null || value == null) {
                    throw ApiException.badParameter("userProperties", null, "each has a name and a value (strings)");
                }
                list.add(new UserProperty(name, value));
            }
            p.userProperties(list);
        }
        Long expiry = Json.integer(body, "messageExpiryInterval", 0, 0xFFFF_FFFFL);
        long now = broker.clock().millis();
        Message m = new Message(topic, qos, retain, Payload.wrap(payload), p.build(), "",
                expiry == null ? 0 : now + expiry * 1000);
        int deliveries = Waits.get(broker.publish(m));
        audit.changed(r, "published to '" + topic + "' (QoS " + qos + (retain ? ", retained" : "") + ", "
                + payload.length + " bytes): " + deliveries + " deliveries");
        return Response.json(Map.of("deliveries", deliveries, "retained", retain));
    }

    private static final List<String> PUBLISH_FIELDS = List.of("topic", "payload", "payloadBase64", "qos", "retain",
            "payloadFormatIndicator", "contentType", "responseTopic", "correlationData", "correlationDataBase64",
            "messageExpiryInterval", "userProperties");

    /** Text or base64, one of the two fields; absent: empty. */
    private static byte[] bytes(JsonNode body, String textField, String base64Field) {
        String text = Json.text(body, textField);
        String b64 = Json.text(body, base64Field);
        if (text != null && b64 != null) {
            throw ApiException.badParameter(textField, null, "give " + textField + " or " + base64Field + ", not both");
        }
        if (b64 != null) {
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter(base64Field, null, "base64 (RFC 4648): " + e.getMessage());
            }
        }
        if (text == null) {
            return new byte[0];
        }
        checkUnicode(textField, text);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A string field MQTT can carry: well-formed UTF-8, no U+0000, at most 65535 bytes. */
    private static String mqttString(JsonNode body, String field) {
        String s = Json.text(body, field);
        if (s == null) {
            return null;
        }
        checkUnicode(field, s);
        if (s.indexOf('\u0000') >= 0) {
            // [MQTT-1.5.4-2] a UTF-8 Encoded String MUST NOT include U+0000
            throw ApiException.badParameter(field, null, "contains U+0000, which MQTT strings may not");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
            throw ApiException.badParameter(field, null, "at most 65535 bytes of UTF-8");
        }
        return s;
    }

    private static void checkUnicode(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // [MQTT-1.5.4-1] well-formed UTF-8 only: a lone surrogate has none
                throw ApiException.badParameter(field, null, "contains a lone UTF-16 surrogate, which UTF-8 cannot encode");
            }
        }
    }

    /** The bytes as text when they are well-formed UTF-8, else null. */
    static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
