package io.switchboard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.admin.http.Access;
import io.switchboard.admin.http.ApiException;
import io.switchboard.admin.http.Caller;
import io.switchboard.admin.http.Json;
import io.switchboard.admin.http.Request;
import io.switchboard.admin.http.Response;
import io.switchboard.admin.http.Routes;
import io.switchboard.broker.Broker;
import io.switchboard.broker.auth.AccessControl;
import io.switchboard.broker.auth.IssuedCredentials;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.transport.TlsReload;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The broker as a whole: sign-in, who am I, info, configuration, counters, reload, the console's MQTT credential. */
final class BrokerEndpoints {
    /** Configuration keys whose values are secrets, masked in {@code /api/v1/config}. */
    private static final Pattern SECRET = Pattern.compile("(?i)(.*password.*|.*secret.*|sha256|token)");
    static final String MASK = "********";

    private final Broker broker;
    private final Access access;
    private final AdminAudit audit;

    BrokerEndpoints(Broker broker, Access access, AdminAudit audit) {
        this.broker = broker;
        this.access = access;
        this.audit = audit;
    }

    void register(Routes routes) {
        routes.add(HttpMethod.POST, "/api/v1/login", Routes.Access.PUBLIC, this::login)
                .add(HttpMethod.POST, "/api/v1/logout", Routes.Access.READ, this::logout)
                .add(HttpMethod.GET, "/api/v1/whoami", Routes.Access.PUBLIC, this::whoami)
                .add(HttpMethod.GET, "/api/v1/broker", Routes.Access.READ, this::info)
                .add(HttpMethod.GET, "/api/v1/config", Routes.Access.READ, this::config)
                .add(HttpMethod.GET, "/api/v1/stats", Routes.Access.READ, this::stats)
                .add(HttpMethod.POST, "/api/v1/security/reload", Routes.Access.ADMIN, this::reload)
                .add(HttpMethod.POST, "/api/v1/console/mqtt-credential", Routes.Access.READ, this::credential);
    }

    private Response login(Request r) {
        JsonNode body = r.json();
        String user = Json.text(body, "username");
        String password = Json.text(body, "password");
        if (user == null || password == null) {
            throw ApiException.badRequest("give username and password");
        }
        if (!access.signInRequired()) {
            throw ApiException.conflict("no one signs in here: http.users is not configured, and this listener"
                    + " answers only this machine");
        }
        return Response.json(access.signIn(user, password, r.remote()));
    }

    private Response logout(Request r) {
        access.signOut(r.caller().session());
        return Response.noContent();
    }

    private Response whoami(Request r) {
        Caller c = r.caller();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", c.user());
        m.put("role", c.role());
        m.put("via", c.via());
        m.put("signInRequired", access.signInRequired());
        return Response.json(m);
    }

    private Response info(Request r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Broker.version());
        m.put("startedAt", broker.startedAt().toString());
        m.put("uptimeSeconds", Duration.between(broker.startedAt(), broker.clock().instant()).toSeconds());
        m.put("java", Runtime.version().toString());
        m.put("listeners", broker.config().listeners().stream().map(l -> listener(l)).toList());
        m.put("storage", broker.storage().describe());
        m.put("securityPolicy", broker.config().security().policy());
        return Response.json(m);
    }

    private Map<String, Object> listener(ListenerConfig l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", l.name());
        m.put("type", l.type());
        m.put("host", l.host());
        m.put("port", broker.port(l.name()));
        m.put("path", l.webSocket() ? l.path() : null);
        return m;
    }

    private Response config(Request r) {
        JsonNode tree = Json.MAPPER.valueToTree(broker.config());
        mask(tree);
        return Response.json(tree);
    }

    static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (SECRET.matcher(e.getKey()).matches() && e.getValue().isValueNode() && !e.getValue().isNull()) {
                    e.setValue(Json.MAPPER.getNodeFactory().textNode(MASK));
                } else {
                    mask(e.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(BrokerEndpoints::mask);
        }
    }

    private Response stats(Request r) {
        BrokerMetrics m = broker.metrics();
        long online = m.clientsConnected.get();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("time", broker.clock().instant().toString());
        o.put("connections", Map.of("current", online, "maximum", m.clientsMaximum.get(),
                "opened", m.connectionsOpened.sum(), "refused", m.connectionsRejected.sum()));
        o.put("sessions", Map.of("online", online, "offline", Math.max(0, broker.sessions().size() - online)));
        o.put("subscriptions", broker.subscriptions().size());
        o.put("retained", broker.retained().size());
        o.put("messages", Map.of("received", m.messagesReceived.total(), "sent", m.messagesSent.total(),
                "deliveries", m.deliveries.sum(), "inflight", m.inflightMessages.sum(),
                "dropped", m.droppedTotal(), "queued", m.queuedMessages.sum()));
        o.put("bytes", Map.of("received", m.bytesReceived.sum(), "sent", m.bytesSent.sum()));
        o.put("denials", m.denials().values().stream().mapToLong(Long::longValue).sum());
        return Response.json(o);
    }

    private Response reload(Request r) throws Exception {
        AccessControl.ReloadResult security = broker.reloadSecurity();
        List<TlsReload> tls = Waits.get(broker.reloadTls());
        audit.changed(r, "reloaded the security policy (" + (security.applied() ? "applied" : "not applied") + ": "
                + security.message() + ") and TLS (" + tls.size() + " listeners)");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("security", Map.of("applied", security.applied(), "message", security.message()));
        o.put("tls", tls.stream().map(t -> Map.of("listener", t.listener(), "outcome", t.outcome().name().toLowerCase(),
                "message", t.detail() == null ? "" : t.detail())).toList());
        return Response.json(o);
    }

    private Response credential(Request r) {
        ListenerConfig ws = broker.config().listeners().stream().filter(ListenerConfig::webSocket).findFirst()
                .orElseThrow(() -> ApiException.conflict("the broker has no WebSocket listener (type ws or wss) for"
                        + " the console's MQTT client: add one (docs/configuration.md)"));
        Caller c = r.caller();
        String name = c.mqttName();
        if (name == null && broker.config().security().policy() != null) {
            throw ApiException.conflict("the security policy gives MQTT rights by name, and " + c.describe()
                    + " has none: configure http.users with mqttName");
        }
        String who = name == null ? "console" : name;
        IssuedCredentials.Credential cred;
        try {
            cred = broker.issueCredential(who, "console-" + safe(c.user() == null ? "local" : c.user()) + "-",
                    Duration.ofSeconds(broker.config().http().consoleCredentialSeconds()));
        } catch (IllegalArgumentException e) {
            throw ApiException.conflict(e.getMessage());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("url", (ws.type().equals("wss") ? "wss" : "ws") + "://" + wsHost(ws, r.host()) + ":"
                + broker.port(ws.name()) + ws.path());
        o.put("clientId", cred.clientId());
        o.put("username", cred.username());
        o.put("password", cred.password());
        o.put("expiresAt", cred.expiresAt().toString());
        return Response.json(o);
    }

    /**
     * The host of the WebSocket URL: the listener's address, or, when it binds every address, the
     * name the browser reached this HTTP listener by.
     */
    private static String wsHost(ListenerConfig ws, String httpHost) {
        String h = ws.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            if (httpHost == null) {
                return "localhost";
            }
            int end = httpHost.startsWith("[") ? httpHost.indexOf(']') + 1 : httpHost.lastIndexOf(':');
            return end > 0 ? httpHost.substring(0, end) : httpHost;
        }
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** A user name as part of a client id: letters, digits, '-' and '_' only. */
    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9_-]", "_");
        return t.length() > 32 ? t.substring(0, 32) : t;
    }

}
