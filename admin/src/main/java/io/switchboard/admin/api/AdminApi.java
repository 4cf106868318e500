package io.switchboard.admin.api;

import io.switchboard.admin.http.Access;
import io.switchboard.admin.http.Routes;
import io.switchboard.admin.metrics.Metrics;
import io.switchboard.broker.Broker;

/** Every route of the HTTP listener, described in openapi.yaml. */
public final class AdminApi {
    private AdminApi() {
    }

    public static Routes routes(Broker broker, Access access, Metrics metrics) {
        Routes routes = new Routes();
        AdminAudit audit = new AdminAudit();
        new OpsEndpoints(broker, metrics).register(routes);
        new BrokerEndpoints(broker, access, audit).register(routes);
        new ClientEndpoints(broker, audit).register(routes);
        new MessageEndpoints(broker, audit).register(routes);
        new RuleEndpoints(broker, audit).register(routes);
        return routes;
    }
}
