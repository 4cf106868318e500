package io.switchboard.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.http.Json;
import io.switchboard.admin.http.Request;
import io.switchboard.admin.http.Response;
import io.switchboard.admin.http.Routes;
import io.switchboard.admin.metrics.Metrics;
import io.switchboard.broker.Broker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health checks, {@code /metrics}, the API's description, and the console's files. */
final class OpsEndpoints {
    private static final String RESOURCES = "/io/switchboard/admin/";

    private final Broker broker;
    private final Metrics metrics;
    private final ConsoleFiles console = new ConsoleFiles(RESOURCES + "console/");
    private final byte[] openApiYaml;
    private final byte[] openApiJson;

    OpsEndpoints(Broker broker, Metrics metrics) {
        this.broker = broker;
        this.metrics = metrics;
        this.openApiYaml = resource(RESOURCES + "openapi.yaml");
        try {
            Object tree = new ObjectMapper(new YAMLFactory()).readValue(openApiYaml, Object.class);
            this.openApiJson = Json.bytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml is not valid YAML", e);
        }
    }

    void register(Routes routes) {
        boolean publicMetrics = broker.config().http().publicMetrics();
        routes.add(HttpMethod.GET, "/health/live", Routes.Access.PUBLIC, this::live)
                .add(HttpMethod.GET, "/health/ready", Routes.Access.PUBLIC, this::ready)
                .add(HttpMethod.GET, "/metrics", publicMetrics ? Routes.Access.PUBLIC : Routes.Access.READ, this::metrics)
                .add(HttpMethod.GET, "/api/openapi.yaml", Routes.Access.PUBLIC,
                        r -> new Response(HttpResponseStatus.OK, "application/yaml", openApiYaml, Map.of()))
                .add(HttpMethod.GET, "/api/openapi.json", Routes.Access.PUBLIC,
                        r -> new Response(HttpResponseStatus.OK, Response.JSON, openApiJson, Map.of()))
                .add(HttpMethod.GET, "/", Routes.Access.PUBLIC, r -> Response.redirect("/console/"))
                .add(HttpMethod.GET, "/console", Routes.Access.PUBLIC, r -> Response.redirect("/console/"))
                .add(HttpMethod.GET, "/console/*", Routes.Access.PUBLIC, r -> console.serve(r.path("*"),
                        r.header(HttpHeaderNames.IF_NONE_MATCH)));
    }

    private Response live(Request r) {
        return Response.json(Map.of("status", "UP"));
    }

    private Response ready(Request r) {
        Broker.Readiness ready = broker.readiness();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("status", ready.ready() ? "UP" : "DOWN");
        o.put("problems", ready.problems());
        Response res = Response.json(o);
        return ready.ready() ? res : new Response(HttpResponseStatus.SERVICE_UNAVAILABLE, res.contentType(), res.body(),
                res.headers());
    }

    private Response metrics(Request r) {
        String accept = r.header(HttpHeaderNames.ACCEPT);
        return Response.text(HttpResponseStatus.OK, Metrics.contentType(accept), metrics.scrape(accept));
    }

    static byte[] resource(String path) {
        try (InputStream in = OpsEndpoints.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
