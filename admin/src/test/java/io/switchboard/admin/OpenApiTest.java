package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.admin.api.AdminApi;
import io.switchboard.admin.http.Access;
import io.switchboard.admin.http.Routes;
import io.switchboard.admin.metrics.Metrics;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI description served at /api/openapi.json says exactly what the listener answers. */
class OpenApiTest {
    @RegisterExtension
    static final EmbeddedBroker BROKER = EmbeddedBroker.fromYaml("http: {port: 0}");

    @Test
    void everyRouteIsDescribedAndEveryDescribedPathIsARoute() throws Exception {
        JsonNode api = new AdminHttp(BROKER.broker().httpPort()).get("/api/openapi.json").json();
        assertThat(api.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> described = new TreeSet<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "patch", "head", "options");
        api.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(method -> {
            if (methods.contains(method)) {
                described.add(method.toUpperCase() + " " + p.getKey());
            }
        }));
        Set<String> served = new TreeSet<>();
        try (Metrics metrics = new Metrics(BROKER.broker())) {
            for (Routes.Route r : AdminApi.routes(BROKER.broker(), new Access(BROKER.config().http(),
                    BROKER.broker().clock()), metrics).all()) {
                if (!r.template().equals("/") && !r.template().startsWith("/console")) { // the console: docs/console.md
                    served.add(r.method().name() + " " + r.template());
                }
            }
        }
        assertThat(described).isEqualTo(served);
        assertThat(new AdminHttp(BROKER.broker().httpPort()).get("/api/openapi.yaml").header("Content-Type"))
                .isEqualTo("application/yaml");
    }
}
