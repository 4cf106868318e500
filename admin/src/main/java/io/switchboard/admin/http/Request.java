package io.switchboard.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as a handler sees it: method, path, the path's variables, the query, the body,
 * and who sent it.
 *
 * @param pathParams the route's {@code {name}} segments, percent-decoded
 * @param caller who the request is from (authenticated before the handler runs)
 * @param headers the request's headers
 * @param remote the caller's address
 */
public record Request(HttpMethod method, String path, Map<String, String> pathParams,
        Map<String, List<String>> query, byte[] body, HttpHeaders headers, Caller caller, String remote) {

    /** A request header, or null. */
    public String header(CharSequence name) {
        return headers.get(name);
    }

    /** The Host header, or null. */
    public String host() {
        return headers.get(HttpHeaderNames.HOST);
    }

    /** A path variable. */
    public String path(String name) {
        return pathParams.get(name);
    }

    /** A query parameter's single value, or null. */
    public String query(String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiException.badParameter(name, null, "given " + v.size() + " times; give it once");
        }
        return v.get(0);
    }

    /** A query parameter's value as an integer in {@code min..max}, or {@code dflt} when absent. */
    public int queryInt(String name, int dflt, int min, int max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badParameter(name, v, "an integer from " + min + " to " + max);
    }

    /** A query parameter's value as a boolean, or null when absent. */
    public Boolean queryBoolean(String name) {
        String v = query(name);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badParameter(name, v, "true or false");
        };
    }

    /** A required query parameter. */
    public String requiredQuery(String name) {
        String v = query(name);
        if (v == null) {
            throw ApiException.badParameter(name, null, "required");
        }
        return v;
    }

    /** The body as a JSON object; an empty body is an empty object. */
    public JsonNode json() {
        return Json.object(body);
    }
}
