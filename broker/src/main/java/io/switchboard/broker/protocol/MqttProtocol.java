package io.switchboard.broker.protocol;

import io.switchboard.broker.auth.Authenticator;
import io.switchboard.broker.auth.Authorizer;
import io.switchboard.broker.auth.DenialAudit;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.delivery.RequestHelp;
import io.switchboard.broker.delivery.Router;
import io.switchboard.broker.logging.RateLimitedLog;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.session.SessionRegistry;
import io.switchboard.broker.storage.RetainedIndex;
import io.switchboard.broker.storage.Storage;
import java.time.Clock;

/**
 * The MQTT protocol of one broker: the packet handlers, built once with what they need, and the
 * factory of {@link MqttConnection}s that transports put at the end of their pipelines.
 */
public final class MqttProtocol {
    final BrokerConfig config;
    final BrokerMetrics metrics;
    final Clock clock;
    final ConnectHandler connect;
    final Recheck recheck;
    final PublishReceiver publishes;
    final SubscriptionHandler subscriptions;
    final ClientEvents events;
    final RateLimitedLog refusals;
    final DenialAudit audit;
    /**
     * Beyond this ({@link io.netty.channel.Channel#bytesBeforeWritable()}: pending bytes above the
     * low water mark), QoS 0 is dropped even for a client not yet declared slow: twice
     * {@code mqtt.maxOutboundBytes} pending at most, so memory stays bounded however many
     * publishers are still finishing their last read when they are told to wait.
     */
    final long outboundHardLimit;

    public MqttProtocol(BrokerConfig config, BrokerMetrics metrics, Clock clock, SessionRegistry sessions,
            Router router, RetainedIndex retained, Storage storage, Authenticator authenticator,
            Authorizer authorizer, DenialAudit audit, ClientEvents events, RequestHelp help,
            PublishTap.Holder tap) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.events = events;
        this.audit = audit;
        this.refusals = new RateLimitedLog(clock);
        long high = config.mqtt().maxOutboundBytes();
        this.outboundHardLimit = 2 * high - high / 2;
        this.connect = new ConnectHandler(config, sessions, new ClientIdGenerator(), authenticator, authorizer, audit,
                events);
        this.recheck = new Recheck(authenticator, authorizer, audit);
        this.publishes = new PublishReceiver(config, router, authorizer, audit, metrics, clock, storage, help, tap);
        this.subscriptions = new SubscriptionHandler(config.mqtt(), retained, authorizer, audit, clock);
    }

    private final java.util.concurrent.ConcurrentHashMap<io.netty.channel.EventLoop, KeepAlive> keepAlives =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The keep-alive sweep of an event loop (created with the loop's first connection that has a keep alive). */
    KeepAlive keepAlive(io.netty.channel.EventLoop loop) {
        return keepAlives.computeIfAbsent(loop, KeepAlive::new);
    }

    /** A new connection's handler, for the end of a listener's pipeline. */
    public MqttConnection newConnection(ConnectionTransport transport) {
        return new MqttConnection(this, transport);
    }
}
