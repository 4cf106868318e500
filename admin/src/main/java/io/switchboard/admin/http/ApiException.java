package io.switchboard.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses, answered as RFC 9457 problem details: a status, a kind of problem (its
 * {@code type} is {@code urn:switchboard:problem:<kind>}) and a detail that names what is wrong and
 * what is allowed.
 */
public final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;
    private final String kind;

    public ApiException(HttpResponseStatus status, String kind, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.kind = kind;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad-request", detail);
    }

    public static ApiException badParameter(String name, Object value, String allowed) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad-parameter",
                "invalid " + name + (value == null ? "" : " '" + value + "'") + ": " + allowed);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not-found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpResponseStatus.CONFLICT, "conflict", detail);
    }
}
