package io.switchboard.rpc;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link WireFormat#JSON_RPC}: JSON-RPC 2.0 over MQTT 3.1.1 as the npm package {@code mqtt-json-rpc}
 * (1.3.6) speaks it. A call to method {@code m} is {@code {"jsonrpc":"2.0","id":"<cid>:<n>",
 * "method":"m","params":...}} on {@code m/request}; the reply {@code {"jsonrpc":"2.0","id":...,
 * "result":...}} or {@code ..."error":{"code":..,"message":..,"data":..}}} comes on
 * {@code m/response/<cid>}, where {@code <cid>} is the caller's id: everything in the request's id
 * before its last {@code :}. The call's payload is the params, the reply's the result (docs/rpc.md).
 */
final class JsonRpcFormat implements Format {
    static final String REQUEST = "/request";
    static final String RESPONSE = "/response/";
    /** JSON-RPC's "server error" code, for an error whose code is not a number. */
    static final int SERVER_ERROR = -32000;
    /** JSON-RPC's "internal error": the handler's result is not JSON. */
    static final int INTERNAL_ERROR = -32603;

    /** This caller's id, a UUID as mqtt-json-rpc's are: no ':', '/', '+' or '#'. */
    private final String cid;

    JsonRpcFormat() {
        SecureRandom r = new SecureRandom();
        this.cid = new UUID(r.nextLong(), r.nextLong()).toString();
    }

    @Override
    public String requestTopic(String method) {
        Wire.checkTopicName(method);
        return method + REQUEST;
    }

    @Override
    public String replyFilter(String method) {
        return method + RESPONSE + cid;
    }

    @Override
    public Link.Message request(String method, byte[] params, CallOptions options, long id, long timeoutMillis,
            String replyTopic) {
        JsonToken kind = Json.valueType(params);
        if (params.length > 0 && kind != JsonToken.START_ARRAY && kind != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("a JSON-RPC call's payload is its params: a JSON array or object, not "
                    + (kind == null ? "'" + preview(params) + "' (not JSON)" : kindName(kind) + " " + preview(params)));
        }
        byte[] body = Json.object(g -> {
            g.writeStringField("jsonrpc", "2.0");
            g.writeStringField("id", cid + ":" + id);
            g.writeStringField("method", method);
            Json.writeRaw(g, "params", params.length == 0 ? "[]".getBytes(StandardCharsets.UTF_8) : params);
        });
        return Link.Message.plain(requestTopic(method), body, options.qos());
    }

    private static String kindName(JsonToken kind) {
        return switch (kind) {
            case VALUE_STRING -> "a JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
            default -> "the JSON literal";
        };
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 40), StandardCharsets.UTF_8);
        return b.length > 40 ? s + "..." : s;
    }

    @Override
    public Answer reply(Link.Message m) {
        if (!m.topic().endsWith(RESPONSE + cid)) {
            return null;
        }
        Map<String, Json.Field> f = Json.fields(m.payload());
        Json.Field id = f == null ? null : f.get("id");
        if (id == null || !id.isString()) {
            return null;
        }
        int colon = id.text().lastIndexOf(':');
        if (colon < 0 || !id.text().substring(0, colon).equals(cid)) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(id.text().substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        Json.Field error = f.get("error");
        if (error != null && error.isObject()) {
            Map<String, Json.Field> e = Json.fields(error.raw());
            Json.Field code = e.get("code");
            Json.Field message = e.get("message");
            Json.Field data = e.get("data");
            return new Answer(n, new Reply(m.topic(), data == null ? new byte[0] : data.raw(),
                    data == null ? null : Json.CONTENT_TYPE, List.of(new UserProperty(RpcHeaders.STATUS, RpcHeaders.ERROR),
                            new UserProperty(RpcHeaders.CODE, code != null && code.isNumber() ? code.text()
                                    : String.valueOf(SERVER_ERROR)),
                            new UserProperty(RpcHeaders.MESSAGE, message != null && message.isString() ? message.text() : ""))));
        }
        Json.Field result = f.get("result");
        if (result == null) {
            return null; // neither a result nor an error: not a JSON-RPC response
        }
        return new Answer(n, new Reply(m.topic(), result.raw(), Json.CONTENT_TYPE,
                List.of(new UserProperty(RpcHeaders.STATUS, RpcHeaders.OK))));
    }

    @Override
    public String serveFilter(String method) {
        return method + REQUEST;
    }

    @Override
    public Request request(Link.Message m, Instant now) {
        if (!m.topic().endsWith(REQUEST)) {
            return null;
        }
        String method = m.topic().substring(0, m.topic().length() - REQUEST.length());
        Map<String, Json.Field> f = Json.fields(m.payload());
        if (f == null) {
            return null;
        }
        Json.Field said = f.get("method");
        Json.Field id = f.get("id");
        if (said == null || !said.isString() || !said.text().equals(method) || id == null) {
            return null; // another method's, or a notification: nothing to answer
        }
        String caller;
        if (id.isString()) {
            int colon = id.text().lastIndexOf(':');
            caller = colon < 0 ? id.text() : id.text().substring(0, colon);
        } else if (id.token() == JsonToken.VALUE_NUMBER_INT) {
            caller = id.text();
        } else {
            return null; // JSON-RPC ids are strings or numbers
        }
        if (caller.isEmpty() || caller.indexOf('+') >= 0 || caller.indexOf('#') >= 0 || caller.indexOf('\0') >= 0) {
            return null; // no topic a reply could go to
        }
        Json.Field params = f.get("params");
        return new Request(m.topic(), params == null ? new byte[0] : params.raw(), Json.CONTENT_TYPE, List.of(),
                method + RESPONSE + caller, id.raw(), null);
    }

    @Override
    public Link.Message reply(Request request, Response out, int qos) {
        byte[] id = request.rawCorrelationData();
        byte[] result = out.payload();
        boolean json = !out.isError() && (result.length == 0 || Json.valueType(result) != null);
        byte[] body = Json.object(g -> {
            g.writeStringField("jsonrpc", "2.0");
            Json.writeRaw(g, "id", id);
            if (out.isError() || !json) {
                int code = out.isError() ? code(out.errorCode()) : INTERNAL_ERROR;
                g.writeObjectFieldStart("error");
                g.writeStringField("message", out.isError() ? out.errorMessage()
                        : "the handler's result is not JSON (" + result.length + " bytes)");
                g.writeNumberField("code", code);
                if (out.isError() && !isInteger(out.errorCode())) {
                    g.writeObjectFieldStart("data");
                    g.writeStringField("code", out.errorCode());
                    g.writeEndObject();
                }
                g.writeEndObject();
            } else {
                Json.writeRaw(g, "result", result.length == 0 ? "null".getBytes(StandardCharsets.UTF_8) : result);
            }
        });
        return Link.Message.plain(request.responseTopic(), body, qos);
    }

    private static int code(String code) {
        return isInteger(code) ? Integer.parseInt(code) : SERVER_ERROR;
    }

    private static boolean isInteger(String s) {
        try {
            Integer.parseInt(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
