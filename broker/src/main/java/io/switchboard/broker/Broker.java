package io.switchboard.broker;

import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.storage.Storage;
import io.switchboard.broker.storage.memory.MemoryStorage;
import io.switchboard.broker.transport.MqttServer;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Switchboard broker. Start with {@link #start(BrokerConfig)}; {@link #close()} stops it. */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerContext context;
    private final MqttServer server;
    private volatile boolean closed;

    private Broker(BrokerContext context) {
        this.context = context;
        this.server = new MqttServer(context);
    }

    /** Starts a broker with in-memory storage and binds its listeners. */
    public static Broker start(BrokerConfig config) {
        return start(config, new MemoryStorage());
    }

    public static Broker start(BrokerConfig config, Storage storage) {
        Broker broker = new Broker(new BrokerContext(config, storage, Clock.systemUTC()));
        LOG.info("Storage: {}", storage.describe());
        broker.server.start();
        return broker;
    }

    /** The port of a listener by name (the first listener is named "default" unless configured). */
    public int port(String listener) {
        return server.port(listener);
    }

    /** The port of the first listener. */
    public int port() {
        return server.port(context.config().listeners().get(0).name());
    }

    public BrokerMetrics metrics() {
        return context.metrics();
    }

    public BrokerContext context() {
        return context;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Stopping: disconnecting clients");
        server.stop();
        context.sessions().all().forEach(s -> s.close());
        context.storage().close();
        LOG.info("Stopped");
    }
}
