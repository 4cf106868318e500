package io.switchboard.testkit;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ListenerConfig;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker on a free loopback port for a test class:
 * <pre>{@code @RegisterExtension static EmbeddedBroker broker = new EmbeddedBroker();}</pre>
 * Started before the class's tests, stopped after them. Use {@link #restart()} for a fresh broker.
 */
public final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final BrokerConfig config;
    private Broker broker;

    public EmbeddedBroker() {
        this(c -> c);
    }

    /** A broker whose configuration the function adjusts (from defaults on 127.0.0.1, port 0). */
    public EmbeddedBroker(UnaryOperator<BrokerConfig> customize) {
        BrokerConfig base = new BrokerConfig(List.of(ListenerConfig.tcp("default", "127.0.0.1", 0)), null, null, 2);
        this.config = customize.apply(base);
    }

    /** Starts a broker now, outside JUnit's lifecycle; close it when done. */
    public static EmbeddedBroker started(UnaryOperator<BrokerConfig> customize) {
        EmbeddedBroker b = new EmbeddedBroker(customize);
        b.start();
        return b;
    }

    public void start() {
        broker = Broker.start(config);
    }

    /** Stops the broker and starts a new one with the same configuration (on a new port). */
    public void restart() {
        close();
        start();
    }

    public int port() {
        return broker.port();
    }

    public String host() {
        return "127.0.0.1";
    }

    public Broker broker() {
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
