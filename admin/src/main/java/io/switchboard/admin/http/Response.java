package io.switchboard.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a handler answers: a status, a content type, a body and extra headers.
 */
public record Response(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String PROBLEM = "application/problem+json";

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response json(Object value) {
        return new Response(HttpResponseStatus.OK, JSON, Json.bytes(value), Map.of());
    }

    public static Response noContent() {
        return new Response(HttpResponseStatus.NO_CONTENT, null, new byte[0], Map.of());
    }

    public static Response text(HttpResponseStatus status, String contentType, String text) {
        return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response redirect(String location) {
        return new Response(HttpResponseStatus.FOUND, null, new byte[0], Map.of("Location", location));
    }

    /** RFC 9457 problem details. */
    public static Response problem(HttpResponseStatus status, String kind, String detail, String instance) {
        var p = Json.object();
        p.put("type", "urn:switchboard:problem:" + kind);
        p.put("title", status.reasonPhrase());
        p.put("status", status.code());
        p.put("detail", detail);
        p.put("instance", instance);
        return new Response(status, PROBLEM, Json.bytes(p), Map.of());
    }

    public Response withHeader(String name, String value) {
        var h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h);
    }
}
