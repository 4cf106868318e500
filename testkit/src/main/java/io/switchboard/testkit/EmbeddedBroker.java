package io.switchboard.testkit;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.broker.config.ListenerConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker on a free loopback port for a test class:
 * <pre>{@code @RegisterExtension static EmbeddedBroker broker = new EmbeddedBroker();}</pre>
 * Started before the class's tests, stopped after them. Use {@link #restart()} for a fresh broker.
 *
 * <p>With more listeners (tls, ws, wss), from the YAML a user would write, each on port 0:
 * <pre>{@code
 * static EmbeddedBroker broker = EmbeddedBroker.fromYaml("""
 *     listeners:
 *       - {name: default, port: 0}
 *       - {name: ws, type: ws, port: 0}
 *     """).with(b -> b.authenticator(myAuthenticator));
 * ... broker.port("ws") ...
 * }</pre>
 * Parts other than the configuration (an authenticator, an authorizer) are given through
 * {@link #with(UnaryOperator)} or {@link #EmbeddedBroker(UnaryOperator, UnaryOperator)}.
 */
public final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final BrokerConfig config;
    private UnaryOperator<Broker.Builder> build = b -> b;
    private Broker broker;

    public EmbeddedBroker() {
        this(c -> c);
    }

    /** A broker whose configuration the function adjusts (from defaults on 127.0.0.1, port 0). */
    public EmbeddedBroker(UnaryOperator<BrokerConfig> customize) {
        BrokerConfig base = new BrokerConfig(List.of(ListenerConfig.tcp("default", "127.0.0.1", 0)), null, null, 2);
        this.config = customize.apply(base);
    }

    /**
     * A broker whose configuration {@code customize} adjusts and whose builder {@code parts} completes,
     * for example {@code b -> b.authenticator(a).authorizer(z)}. Applied again at each (re)start.
     */
    public EmbeddedBroker(UnaryOperator<BrokerConfig> customize, UnaryOperator<Broker.Builder> parts) {
        this(customize);
        this.build = Objects.requireNonNull(parts, "parts");
    }

    private EmbeddedBroker(BrokerConfig config) {
        this.config = config;
    }

    /**
     * A broker configured by YAML text, as in a configuration file (docs/configuration.md). Give
     * each listener {@code port: 0} and find it with {@link #port(String)}; {@link #port()} is the
     * first listener's. Listeners bind 127.0.0.1 unless the YAML says otherwise.
     */
    public static EmbeddedBroker fromYaml(String yaml) {
        return new EmbeddedBroker(ConfigLoader.parse(yaml, "test configuration"));
    }

    /** Starts a broker now, outside JUnit's lifecycle; close it when done. */
    public static EmbeddedBroker started(UnaryOperator<BrokerConfig> customize) {
        EmbeddedBroker b = new EmbeddedBroker(customize);
        b.start();
        return b;
    }

    /**
     * Adjusts how the broker is built (an authenticator, an authorizer, a clock...) before it
     * starts; applies to every later {@link #start()}. Returns this.
     */
    public EmbeddedBroker with(UnaryOperator<Broker.Builder> customize) {
        this.build = Objects.requireNonNull(customize, "customize");
        return this;
    }

    public void start() {
        broker = build.apply(Broker.builder(config)).start();
    }

    /** Stops the broker and starts a new one with the same configuration (on a new port). */
    public void restart() {
        close();
        start();
    }

    /** The port of the first listener. */
    public int port() {
        return broker.port();
    }

    /** The port of a listener by its configured name. */
    public int port(String listener) {
        return broker.port(listener);
    }

    public String host() {
        return "127.0.0.1";
    }

    public Broker broker() {
        return broker;
    }

    public BrokerConfig config() {
        return config;
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
