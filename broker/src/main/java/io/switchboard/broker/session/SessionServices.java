package io.switchboard.broker.session;

import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.config.SessionConfig;
import io.switchboard.broker.delivery.RequestHelp;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.routing.SubscriptionTree;
import io.switchboard.broker.storage.Storage;
import java.time.Clock;

/**
 * What every session of one broker shares, handed by the {@link SessionRegistry} to the sessions it
 * creates (one reference per session rather than nine). Package-private: nothing outside the
 * session layer sees it.
 */
record SessionServices(SessionRegistry registry, SessionConfig config, Storage storage,
        SubscriptionTree subscriptions, Router router, Authorizer authorizer, DenialAudit audit, BrokerMetrics metrics, Clock clock, WillPublisher wills,
        RequestHelp requestHelp) {
}
