package io.switchboard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.http.ApiException;
import io.switchboard.admin.http.Json;
import io.switchboard.admin.http.Request;
import io.switchboard.admin.http.Response;
import io.switchboard.admin.http.Routes;
import io.switchboard.broker.Broker;
import io.switchboard.rules.engine.CompiledRule;
import io.switchboard.rules.engine.RuleCounters;
import io.switchboard.rules.engine.RuleSpec;
import io.switchboard.rules.engine.RulesException;
import io.switchboard.rules.engine.RulesFile;
import io.switchboard.rules.engine.RulesService;
import io.switchboard.rules.sql.Evaluation;
import io.switchboard.rules.sql.MessageContext;
import io.switchboard.rules.sql.SqlError;
import io.switchboard.rules.sql.SqlException;
import io.switchboard.rules.sql.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules: list them with their counters, define, replace, enable or disable one (PUT), delete one,
 * reload the file, and run a statement against a sample message to see its output or its error with
 * the position.
 */
final class RuleEndpoints {
    private final Broker broker;
    private final AdminAudit audit;

    RuleEndpoints(Broker broker, AdminAudit audit) {
        this.broker = broker;
        this.audit = audit;
    }

    void register(Routes routes) {
        routes.add(HttpMethod.GET, "/api/v1/rules", Routes.Access.READ, this::list)
                .add(HttpMethod.GET, "/api/v1/rules/{name}", Routes.Access.READ, this::one)
                .add(HttpMethod.PUT, "/api/v1/rules/{name}", Routes.Access.ADMIN, this::put)
                .add(HttpMethod.DELETE, "/api/v1/rules/{name}", Routes.Access.ADMIN, this::delete)
                .add(HttpMethod.POST, "/api/v1/rules/reload", Routes.Access.ADMIN, this::reload)
                .add(HttpMethod.POST, "/api/v1/rules/test", Routes.Access.READ, this::test);
    }

    private RulesService rules() {
        return broker.extension(RulesService.class).orElseThrow(() -> ApiException.conflict(
                "the broker has no rules: configure rules.file (docs/rules.md)"));
    }

    private Response list(Request r) {
        List<Object> items = new ArrayList<>();
        for (CompiledRule rule : rules().engine().rules()) {
            items.add(view(rule));
        }
        return Response.json(Map.of("items", items, "file", rules().file().toString()));
    }

    private CompiledRule rule(Request r) {
        CompiledRule rule = rules().engine().rule(r.path("name"));
        if (rule == null) {
            throw ApiException.notFound("no rule named '" + r.path("name") + "'");
        }
        return rule;
    }

    private Response one(Request r) {
        return Response.json(view(rule(r)));
    }

    static ObjectNode view(CompiledRule rule) {
        ObjectNode o = RulesFile.toJson(rule.spec());
        // The statement's topic filter as the rule runs it, so that a reader (the console) need not parse the SQL.
        o.put("from", rule.statement().from().filter());
        RuleCounters c = rule.counters();
        ObjectNode counters = o.putObject("counters");
        counters.put("matched", c.matched());
        counters.put("passed", c.passed());
        counters.set("failed", Json.MAPPER.valueToTree(c.failed()));
        counters.set("actionsSucceeded", Json.MAPPER.valueToTree(c.actionsSucceeded()));
        counters.set("actionsFailed", Json.MAPPER.valueToTree(c.actionsFailed()));
        counters.put("errorActionFailed", c.errorActionFailed());
        return o;
    }

    private Response put(Request r) {
        JsonNode body = r.json();
        String name = r.path("name");
        if (body.has("name") && !name.equals(body.get("name").asText())) {
            throw ApiException.badParameter("name", body.get("name").asText(), "the name in the path, '" + name + "'");
        }
        ObjectNode withName = ((ObjectNode) body.deepCopy()).put("name", name);
        List<String> problems = new ArrayList<>();
        RuleSpec spec = specOf(withName, problems);
        boolean replaced;
        try {
            replaced = rules().put(spec);
        } catch (RulesException e) {
            throw invalid(e.problems());
        }
        audit.changed(r, (replaced ? "replaced" : "created") + " rule '" + name + "'" + (spec.enabled() ? "" : " (disabled)"));
        Response res = Response.json(view(rules().engine().rule(name)));
        return replaced ? res : new Response(HttpResponseStatus.CREATED, res.contentType(), res.body(), res.headers());
    }

    private static RuleSpec specOf(JsonNode body, List<String> problems) {
        RuleSpec spec = RulesFile.fromJson(body, problems);
        if (spec == null) {
            throw invalid(problems);
        }
        return spec;
    }

    private static ApiException invalid(List<String> problems) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid-rule", String.join("; ", problems));
    }

    private Response delete(Request r) {
        String name = r.path("name");
        boolean found;
        try {
            found = rules().delete(name);
        } catch (RulesException e) {
            throw invalid(e.problems());
        }
        if (!found) {
            throw ApiException.notFound("no rule named '" + name + "'");
        }
        audit.changed(r, "deleted rule '" + name + "'");
        return Response.noContent();
    }

    private Response reload(Request r) {
        RulesService.Reload result = rules().reload();
        audit.changed(r, "reloaded the rules: " + result.message());
        return Response.json(Map.of("applied", result.applied(), "message", result.message()));
    }

    /** Runs a statement against a sample message: its output, no output, a failure, or why it is invalid. */
    private Response test(Request r) {
        JsonNode body = r.json();
        String sql = Json.text(body, "sql");
        if (sql == null) {
            throw ApiException.badParameter("sql", null, "required: the statement to run");
        }
        String topic = Json.text(body, "topic");
        if (topic == null) {
            throw ApiException.badParameter("topic", null, "required: the sample message's topic");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        SqlStatement statement;
        try {
            statement = SqlStatement.parse(sql);
        } catch (SqlException e) {
            out.put("result", "invalid");
            List<Object> errors = new ArrayList<>();
            for (SqlError err : e.errors()) {
                errors.add(Map.of("line", err.line(), "column", err.column(), "message", err.message(),
                        "hint", err.hint()));
            }
            out.put("errors", errors);
            return Response.json(out);
        }
        out.put("matches", statement.from().matches(topic));
        Evaluation e = statement.evaluate(sample(body, topic, broker.clock().millis()));
        if (e instanceof Evaluation.Output o) {
            out.put("result", "output");
            byte[] bytes = o.toBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            try {
                out.put("output", Json.MAPPER.readTree(bytes));
            } catch (java.io.IOException notJson) {
                out.put("outputBase64", Base64.getEncoder().encodeToString(bytes));
            }
            out.put("outputText", text);
        } else if (e instanceof Evaluation.Failure f) {
            out.put("result", "failure");
            out.put("kind", f.kind().name().toLowerCase());
            out.put("message", f.message());
            out.put("line", f.line());
            out.put("column", f.column());
        } else {
            out.put("result", "noOutput");
        }
        return Response.json(out);
    }

    private static MessageContext sample(JsonNode body, String topic, long now) {
        MessageContext.Builder b = MessageContext.builder(topic).timestampMillis(now);
        String payload = Json.text(body, "payload");
        String payloadBase64 = Json.text(body, "payloadBase64");
        if (payload != null && payloadBase64 != null) {
            throw ApiException.badParameter("payload", null, "give payload or payloadBase64, not both");
        }
        if (payloadBase64 != null) {
            try {
                b.payload(Base64.getDecoder().decode(payloadBase64));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("payloadBase64", null, "base64 (RFC 4648)");
            }
        } else if (payload != null) {
            b.payload(payload);
        }
        if (Json.text(body, "clientId") != null) {
            b.clientId(Json.text(body, "clientId"));
        }
        if (Json.text(body, "principal") != null) {
            b.principal(Json.text(body, "principal"));
        }
        if (Json.text(body, "contentType") != null) {
            b.contentType(Json.text(body, "contentType"));
        }
        if (Json.text(body, "responseTopic") != null) {
            b.responseTopic(Json.text(body, "responseTopic"));
        }
        Long format = Json.integer(body, "payloadFormatIndicator", 0, 1);
        if (format != null) {
            b.payloadFormatIndicator(format.intValue());
        }
        JsonNode users = body.get("userProperties");
        if (users != null && users.isArray()) {
            for (JsonNode u : users) {
                if (!u.path("name").isTextual() || !u.path("value").isTextual()) {
                    throw ApiException.badParameter("userProperties", null, "an array of {name, value} strings");
                }
                b.userProperty(u.get("name").asText(), u.get("value").asText());
            }
        }
        return b.build();
    }
}
