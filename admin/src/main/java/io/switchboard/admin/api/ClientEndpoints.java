package io.switchboard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.admin.http.ApiException;
import io.switchboard.admin.http.Json;
import io.switchboard.admin.http.Request;
import io.switchboard.admin.http.Response;
import io.switchboard.admin.http.Routes;
import io.switchboard.broker.Broker;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.Topics;
import io.switchboard.broker.session.ConnectionInfo;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.session.SessionControl;
import io.switchboard.broker.session.SessionView;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Clients, sessions, subscriptions and topics: list, look at, disconnect, delete. */
final class ClientEndpoints {
    private final Broker broker;
    private final AdminAudit audit;

    ClientEndpoints(Broker broker, AdminAudit audit) {
        this.broker = broker;
        this.audit = audit;
    }

    void register(Routes routes) {
        routes.add(HttpMethod.GET, "/api/v1/clients", Routes.Access.READ, this::clients)
                .add(HttpMethod.GET, "/api/v1/clients/{clientId}", Routes.Access.READ, this::client)
                .add(HttpMethod.POST, "/api/v1/clients/{clientId}/disconnect", Routes.Access.ADMIN, this::disconnect)
                .add(HttpMethod.DELETE, "/api/v1/sessions/{clientId}", Routes.Access.ADMIN, this::deleteSession)
                .add(HttpMethod.GET, "/api/v1/subscriptions", Routes.Access.READ, this::subscriptions)
                .add(HttpMethod.GET, "/api/v1/topics", Routes.Access.READ, this::topics);
    }

    private record Client(Session session, ConnectionInfo connection) {
    }

    private Response clients(Request r) {
        Predicate<String> id = Page.glob("clientId", r.query("clientId"));
        String username = r.query("username");
        Boolean connected = r.queryBoolean("connected");
        Integer version = null;
        if (r.query("protocolVersion") != null) {
            version = r.queryInt("protocolVersion", 0, 3, 5);
        }
        List<Client> found = new ArrayList<>();
        for (Session s : broker.sessions().all()) {
            if (!id.test(s.clientId())) {
                continue;
            }
            ConnectionInfo c = SessionControl.connection(s);
            if (connected != null && connected != (c != null)) {
                continue;
            }
            if (username != null && (c == null || !username.equals(c.authenticationName()))) {
                continue;
            }
            if (version != null && (c == null || c.protocolVersion() != version)) {
                continue;
            }
            found.add(new Client(s, c));
        }
        return Response.json(Page.of(r, found, c -> c.session().clientId(), c -> summary(c.session(), c.connection())));
    }

    private static Map<String, Object> summary(Session s, ConnectionInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", s.clientId());
        m.put("connected", c != null);
        connection(m, c);
        m.put("persistent", s.persistent());
        return m;
    }

    private static void connection(Map<String, Object> m, ConnectionInfo c) {
        m.put("protocolVersion", c == null ? null : c.protocolVersion());
        m.put("authenticationName", c == null ? null : c.authenticationName());
        m.put("remoteAddress", c == null ? null : c.remoteAddress());
        m.put("listener", c == null ? null : c.listener());
        m.put("connectedAt", c == null || c.connectedAtMillis() == 0 ? null
                : Instant.ofEpochMilli(c.connectedAtMillis()).toString());
    }

    private Session session(Request r) {
        Session s = broker.sessions().get(r.path("clientId"));
        if (s == null) {
            throw ApiException.notFound("no session of client id '" + r.path("clientId") + "'");
        }
        return s;
    }

    private Response client(Request r) throws Exception {
        SessionView v = Waits.get(SessionControl.view(session(r)));
        if (v == null) {
            throw ApiException.notFound("the session of client id '" + r.path("clientId") + "' just ended");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", v.clientId());
        m.put("connected", v.connection() != null);
        connection(m, v.connection());
        m.put("keepAliveSeconds", v.connection() == null ? null : v.connection().keepAliveSeconds());
        m.put("cleanStart", v.connection() == null ? null : v.connection().cleanStart());
        m.put("owner", v.ownerName());
        m.put("persistent", v.persistent());
        m.put("sessionExpiryInterval", v.expiryIntervalSeconds());
        m.put("queued", v.queued());
        m.put("inflight", v.inflight());
        m.put("awaitingPubrel", v.awaitingPubrel());
        m.put("subscriptions", v.subscriptions().stream().map(ClientEndpoints::subscription).toList());
        return Response.json(m);
    }

    static Map<String, Object> subscription(Subscription s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", s.clientId());
        m.put("filter", s.filter());
        m.put("qos", s.qos());
        m.put("noLocal", s.noLocal());
        m.put("retainAsPublished", s.retainAsPublished());
        m.put("retainHandling", s.retainHandling());
        m.put("subscriptionId", s.subscriptionId() == 0 ? null : s.subscriptionId());
        return m;
    }

    private Response disconnect(Request r) throws Exception {
        JsonNode body = r.json();
        Long code = Json.integer(body, "reasonCode", 0, 255);
        ReasonCode rc = ReasonCode.ADMINISTRATIVE_ACTION;
        if (code != null) {
            rc = disconnectCode(code.intValue());
        }
        String reason = Json.text(body, "reason");
        if (reason == null) {
            reason = "disconnected by an administrator";
        }
        if (reason.length() > 1000) {
            throw ApiException.badParameter("reason", null, "at most 1000 characters");
        }
        Session s = session(r);
        if (!Waits.get(SessionControl.disconnect(s, rc, reason))) {
            throw ApiException.conflict("client '" + s.clientId() + "' is not connected (its session is kept)");
        }
        audit.changed(r, "disconnected client '" + s.clientId() + "' with " + rc);
        return Response.noContent();
    }

    /** A reason code a server may send in DISCONNECT, or 400 listing them (5.0 section 3.14.2.1). */
    private static ReasonCode disconnectCode(int code) {
        ReasonCode rc = null;
        try {
            rc = ReasonCode.of(PacketType.DISCONNECT, code);
        } catch (RuntimeException e) {
            // not a DISCONNECT reason code: answered below
        }
        if (rc == null || !SessionControl.serverMaySend(rc)) {
            StringBuilder allowed = new StringBuilder();
            for (ReasonCode c : ReasonCode.values()) {
                if (SessionControl.serverMaySend(c)) {
                    allowed.append(allowed.length() == 0 ? "" : ", ").append(String.format("0x%02X", c.value()));
                }
            }
            throw ApiException.badParameter("reasonCode", String.format("0x%02X", code),
                    "a DISCONNECT reason code a server may send: " + allowed + " (default 0x98, Administrative action)");
        }
        return rc;
    }

    private Response deleteSession(Request r) throws Exception {
        Session s = session(r);
        if (!Waits.get(SessionControl.discard(s, "session deleted by an administrator"))) {
            throw ApiException.notFound("the session of client id '" + s.clientId() + "' already ended");
        }
        audit.changed(r, "deleted the session of client '" + s.clientId() + "'");
        return Response.noContent();
    }

    private Response subscriptions(Request r) {
        Predicate<String> id = Page.glob("clientId", r.query("clientId"));
        String filter = r.query("filter");
        List<Subscription> found = new ArrayList<>();
        broker.subscriptions().forEach(s -> {
            if (id.test(s.clientId()) && (filter == null || filter.equals(s.filter()))) {
                found.add(s);
            }
        });
        return Response.json(Page.of(r, found, s -> s.clientId() + '\u0000' + s.filter(), ClientEndpoints::subscription));
    }

    private Response topics(Request r) {
        String matching = r.query("matching");
        Map<String, Integer> counts = new TreeMap<>();
        if (matching == null) {
            broker.subscriptions().forEach(s -> counts.merge(s.filter(), 1, Integer::sum));
        } else {
            String problem = Topics.checkName(matching);
            if (problem != null) {
                throw ApiException.badParameter("matching", null, problem);
            }
            broker.subscriptions().match(matching, s -> counts.merge(s.filter(), 1, Integer::sum),
                    g -> counts.merge(g.sharedFilter(), g.members().length, Integer::sum));
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        return Response.json(Page.of(r, entries, Map.Entry::getKey,
                e -> Map.of("filter", e.getKey(), "subscribers", e.getValue())));
    }
}
