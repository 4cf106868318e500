package io.switchboard.admin.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table from method and path to handler, with the access each route needs. A template's
 * {@code {name}} matches one path segment, percent-decoded (so a client id may hold '/', sent as
 * %2F); {@code *} at the end matches the rest of the path.
 */
public final class Routes {

    /** Who may use a route. */
    public enum Access {
        /** Anyone, signed in or not (health checks, sign-in, the console's files). */
        PUBLIC,
        /** Anyone signed in: read-only or admin (what changes nothing). */
        READ,
        /** Role admin (what changes the broker). */
        ADMIN
    }

    /** Answers a request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** A route that matched, with the path's variables. */
    public record Match(Route route, Map<String, String> params) {
    }

    /** One route. */
    public record Route(HttpMethod method, String template, Access access, Handler handler) {
        Map<String, String> match(String[] segments) {
            String[] t = template.split("/", -1);
            boolean rest = t[t.length - 1].equals("*");
            if (rest ? segments.length < t.length - 1 : segments.length != t.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < t.length; i++) {
                if (rest && i == t.length - 1) {
                    params.put("*", String.join("/", java.util.Arrays.copyOfRange(segments, i, segments.length)));
                    break;
                }
                if (t[i].startsWith("{") && t[i].endsWith("}")) {
                    params.put(t[i].substring(1, t[i].length() - 1), decode(segments[i]));
                } else if (!t[i].equals(segments[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Routes add(HttpMethod method, String template, Access access, Handler handler) {
        routes.add(new Route(method, template, access, handler));
        return this;
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    /**
     * The route for a request: the first whose method and template match. A path that exists under
     * other methods is 405 (with {@code Allow}), one that does not 404.
     */
    public Match find(HttpMethod method, String rawPath) {
        String[] segments = rawPath.split("/", -1);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = r.match(segments);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method) || (method.equals(HttpMethod.HEAD) && r.method().equals(HttpMethod.GET))) {
                return new Match(r, params);
            }
            allowed.add(r.method().name());
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    method + " is not allowed on " + rawPath + "; allowed: " + String.join(", ", allowed));
        }
        throw ApiException.notFound("no such path: " + rawPath + " (the API is described at /api/openapi.yaml)");
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the path segment '" + segment + "' is not valid percent-encoding");
        }
    }
}
