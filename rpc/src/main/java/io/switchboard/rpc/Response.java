package io.switchboard.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a handler answers: a payload (possibly empty) or an error with a code and a message. Sent to
 * the request's Response Topic with its Correlation Data and the status in user properties
 * ({@link RpcHeaders}).
 */
public final class Response {
    private static final Response EMPTY = new Response(new byte[0], null, List.of(), null, null);

    private final byte[] payload;
    private final String contentType;
    private final List<UserProperty> userProperties;
    private final String errorCode;
    private final String errorMessage;

    private Response(byte[] payload, String contentType, List<UserProperty> userProperties, String errorCode,
            String errorMessage) {
        this.payload = payload;
        this.contentType = contentType;
        this.userProperties = userProperties;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    /** An empty success reply (also what a handler returning null sends). */
    public static Response empty() {
        return EMPTY;
    }

    public static Response of(byte[] payload) {
        return new Response(payload.clone(), null, List.of(), null, null);
    }

    /** A UTF-8 text reply, content type {@code text/plain; charset=utf-8}. */
    public static Response of(String text) {
        return new Response(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", List.of(), null, null);
    }

    /** {@code value} written as JSON with Jackson, content type {@code application/json}. */
    public static Response json(Object value) {
        return new Response(Json.write(value), Json.CONTENT_TYPE, List.of(), null, null);
    }

    /** An error reply: the caller gets a {@link ResponderException} with this code and message. */
    public static Response error(String code, String message) {
        Objects.requireNonNull(code, "code");
        return new Response(new byte[0], null, List.of(), code, message == null ? "" : message);
    }

    public Response withContentType(String contentType) {
        return new Response(payload, contentType, userProperties, errorCode, errorMessage);
    }

    /** Adds a user property (besides the status ones this library sets). */
    public Response withUserProperty(String name, String value) {
        List<UserProperty> all = new ArrayList<>(userProperties);
        all.add(new UserProperty(name, value));
        return new Response(payload, contentType, List.copyOf(all), errorCode, errorMessage);
    }

    public boolean isError() {
        return errorCode != null;
    }

    byte[] payload() {
        return payload;
    }

    String contentType() {
        return contentType;
    }

    List<UserProperty> userProperties() {
        return userProperties;
    }

    String errorCode() {
        return errorCode;
    }

    String errorMessage() {
        return errorMessage;
    }
}
