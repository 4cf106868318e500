package io.switchboard.rpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link WireFormat#JSON_ENVELOPE}: MQTT 3.1.1 has no properties, so a request is a JSON object
 * that carries them beside the payload, and the reply goes to
 * {@code {request_topic}/response/{request_id}}, the convention devices already follow. The exact
 * members are in docs/rpc.md, "Wire formats". A message that uses neither {@code payload} nor
 * {@code payload_base64} is its own payload: a device that answers with a plain JSON object (or any
 * bytes) on the reply topic is understood.
 */
final class EnvelopeFormat implements Format {
    static final String REQUEST_ID = "request_id";
    static final String RESPONSE_TOPIC = "response_topic";
    static final String DEADLINE = "deadline";
    static final String CONTENT_TYPE = "content_type";
    static final String USER_PROPERTIES = "user_properties";
    static final String PAYLOAD = "payload";
    static final String PAYLOAD_BASE64 = "payload_base64";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String RESPONSE = "/response/";
    /** A message with any of these members is an envelope; one with none (besides request_id) is its own payload. */
    private static final Set<String> ENVELOPE = Set.of(RESPONSE_TOPIC, DEADLINE, CONTENT_TYPE, USER_PROPERTIES, PAYLOAD,
            PAYLOAD_BASE64, STATUS, ERROR);

    /**
     * The random part of this client's request ids, {@code <16 hex digits>/<call number in hex>}:
     * two topic levels, so that the client's reply subscription
     * {@code {request_topic}/response/<16 hex digits>/+} takes its own replies only, not those of
     * every caller of the same topic.
     */
    private final String prefix = HexFormat.of().toHexDigits(new SecureRandom().nextLong());

    @Override
    public String requestTopic(String target) {
        Wire.checkTopicName(target);
        return target;
    }

    @Override
    public String replyFilter(String target) {
        return target + RESPONSE + prefix + "/+";
    }

    @Override
    public Link.Message request(String target, byte[] payload, CallOptions options, long id, long timeoutMillis,
            String replyTopic) {
        String requestId = prefix + "/" + Long.toHexString(id);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] envelope = Json.object(g -> {
            g.writeStringField(REQUEST_ID, requestId);
            g.writeStringField(RESPONSE_TOPIC, target + RESPONSE + requestId);
            g.writeNumberField(DEADLINE, deadline);
            writeContent(g, options.contentType(), PropertiesFormat.requestProperties(options), payload);
        });
        return Link.Message.plain(target, envelope, options.qos());
    }

    /** Content type, user properties and payload: as JSON when it is JSON, else in base64. */
    private static void writeContent(JsonGenerator g, String contentType, List<UserProperty> properties, byte[] payload)
            throws IOException {
        if (contentType != null) {
            g.writeStringField(CONTENT_TYPE, contentType);
        }
        if (!properties.isEmpty()) {
            Map<String, List<String>> byName = new LinkedHashMap<>();
            for (UserProperty p : properties) {
                byName.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p.value());
            }
            g.writeObjectFieldStart(USER_PROPERTIES);
            for (Map.Entry<String, List<String>> e : byName.entrySet()) {
                if (e.getValue().size() == 1) {
                    g.writeStringField(e.getKey(), e.getValue().get(0));
                } else {
                    g.writeArrayFieldStart(e.getKey());
                    for (String v : e.getValue()) {
                        g.writeString(v);
                    }
                    g.writeEndArray();
                }
            }
            g.writeEndObject();
        }
        if (payload.length == 0) {
            return;
        }
        if (Json.valueType(payload) != null) {
            Json.writeRaw(g, PAYLOAD, payload);
        } else {
            g.writeStringField(PAYLOAD_BASE64, Base64.getEncoder().encodeToString(payload));
        }
    }

    @Override
    public Answer reply(Link.Message m) {
        String topic = m.topic();
        int last = topic.lastIndexOf('/');
        String mine = RESPONSE + prefix;
        if (last < mine.length() || !topic.startsWith(mine, last - mine.length())) {
            return null; // another caller's, or not a reply
        }
        Long id;
        try {
            id = Long.parseUnsignedLong(topic.substring(last + 1), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        String requestId = prefix + "/" + topic.substring(last + 1);
        Map<String, Json.Field> f = Json.fields(m.payload());
        Json.Field said = f == null ? null : f.get(REQUEST_ID);
        if (said != null && !(said.isString() && said.text().equals(requestId))) {
            return null; // it says it answers another request
        }
        if (f == null || !isEnvelope(f)) {
            return new Answer(id, new Reply(topic, m.payload(), null,
                    List.of(new UserProperty(RpcHeaders.STATUS, RpcHeaders.OK))));
        }
        List<UserProperty> properties = new ArrayList<>(userProperties(f.get(USER_PROPERTIES)));
        String status = text(f.get(STATUS), RpcHeaders.OK);
        properties.add(new UserProperty(RpcHeaders.STATUS, status));
        Json.Field error = f.get(ERROR);
        if (RpcHeaders.ERROR.equals(status) || RpcHeaders.NO_RESPONDERS.equals(status)) {
            Map<String, Json.Field> e = error != null && error.isObject() ? Json.fields(error.raw()) : Map.of();
            properties.add(new UserProperty(RpcHeaders.CODE, text(e.get("code"), RpcHeaders.HANDLER_ERROR)));
            properties.add(new UserProperty(RpcHeaders.MESSAGE, text(e.get("message"), "")));
        }
        return new Answer(id, new Reply(topic, payload(f, m.payload()), text(f.get(CONTENT_TYPE), null),
                List.copyOf(properties)));
    }

    private static boolean isEnvelope(Map<String, Json.Field> f) {
        for (String name : f.keySet()) {
            if (ENVELOPE.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The payload member, decoded (empty when none); the whole message when it is not an envelope. */
    private static byte[] payload(Map<String, Json.Field> f, byte[] whole) {
        if (!isEnvelope(f)) {
            return whole;
        }
        Json.Field p = f.get(PAYLOAD);
        if (p != null) {
            return p.raw();
        }
        Json.Field b = f.get(PAYLOAD_BASE64);
        if (b != null) {
            try {
                return b.isString() ? Base64.getDecoder().decode(b.text()) : new byte[0];
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
        return new byte[0];
    }

    private static String text(Json.Field f, String otherwise) {
        return f != null && (f.isString() || f.isNumber()) ? f.text() : otherwise;
    }

    private static List<UserProperty> userProperties(Json.Field f) {
        if (f == null || !f.isObject()) {
            return List.of();
        }
        List<UserProperty> out = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(f.raw())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    out.add(new UserProperty(name, p.getText()));
                } else if (t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        out.add(new UserProperty(name, p.getText()));
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    @Override
    public String serveFilter(String filter) {
        return filter;
    }

    @Override
    public Request request(Link.Message m, Instant now) {
        Map<String, Json.Field> f = Json.fields(m.payload());
        Json.Field id = f == null ? null : f.get(REQUEST_ID);
        if (id == null || !id.isString() || id.text().isEmpty()) {
            return null; // not a request in this format
        }
        String requestId = id.text();
        Json.Field to = f.get(RESPONSE_TOPIC);
        String responseTopic = to != null && to.isString() ? to.text() : m.topic() + RESPONSE + requestId;
        if (!isTopicName(responseTopic)) {
            return null; // nowhere a reply could go
        }
        Json.Field d = f.get(DEADLINE);
        Instant deadline = null;
        if (d != null && d.token() == JsonToken.VALUE_NUMBER_INT) {
            try {
                deadline = Instant.ofEpochMilli(Long.parseLong(d.text()));
            } catch (NumberFormatException e) {
                deadline = null;
            }
        }
        return new Request(m.topic(), payload(f, m.payload()), text(f.get(CONTENT_TYPE), null), List.copyOf(userProperties(
                f.get(USER_PROPERTIES))), responseTopic, requestId.getBytes(StandardCharsets.UTF_8), deadline);
    }

    private static boolean isTopicName(String t) {
        return !t.isEmpty() && t.indexOf('+') < 0 && t.indexOf('#') < 0 && t.indexOf('\0') < 0;
    }

    @Override
    public Link.Message reply(Request request, Response out, int qos) {
        String requestId = new String(request.rawCorrelationData(), StandardCharsets.UTF_8);
        List<UserProperty> properties = new ArrayList<>(out.userProperties());
        request.traceparent().ifPresent(t -> properties.add(new UserProperty(RpcHeaders.TRACEPARENT, t)));
        byte[] envelope = Json.object(g -> {
            g.writeStringField(REQUEST_ID, requestId);
            if (out.isError()) {
                g.writeStringField(STATUS, RpcHeaders.ERROR);
                g.writeObjectFieldStart(ERROR);
                g.writeStringField("code", out.errorCode());
                g.writeStringField("message", out.errorMessage());
                g.writeEndObject();
                writeContent(g, null, properties, new byte[0]);
            } else {
                g.writeStringField(STATUS, RpcHeaders.OK);
                writeContent(g, out.contentType(), properties, out.payload());
            }
        });
        return Link.Message.plain(request.responseTopic(), envelope, qos);
    }
}
