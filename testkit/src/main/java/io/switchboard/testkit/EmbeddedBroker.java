package io.switchboard.testkit;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.config.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
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
 *
 * <p>Storage: unless the configuration names a data directory, the broker keeps its state as the
 * system property {@code switchboard.test.storage} says: {@code memory} (the default) or
 * {@code rocksdb} (RocksDB with durability sync, in a temporary directory of its own, kept across
 * {@link #restart()} and deleted when the JVM exits), so that a suite runs against either storage.
 * {@link #durable()} asks for RocksDB whatever the property says.
 */
public final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** Names the storage the suites run against: memory or rocksdb. */
    public static final String STORAGE_PROPERTY = "switchboard.test.storage";

    private BrokerConfig config;
    private UnaryOperator<Broker.Builder> build = b -> b;
    private Broker broker;
    private Path dataDir;
    /** Test classes (the outer one and its nested ones) being served now. */
    private int classes;

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

    /**
     * RocksDB (durability {@code durability}: sync, periodic or none) in a temporary directory of
     * this broker's, whatever {@value #STORAGE_PROPERTY} says. Returns this.
     */
    public EmbeddedBroker durable(String durability) {
        config = config.withStorage(StorageConfig.rocksdb(dataDir().toString(), durability));
        return this;
    }

    /** RocksDB with durability sync, in a temporary directory of this broker's. Returns this. */
    public EmbeddedBroker durable() {
        return durable("sync");
    }

    /** The temporary data directory of this broker (created when first asked for). */
    public synchronized Path dataDir() {
        if (dataDir == null) {
            try {
                dataDir = Files.createTempDirectory("switchboard-data-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TEMP_DIRS.add(dataDir);
        }
        return dataDir;
    }

    /** The configuration with the storage the test run asks for, when the test did not choose one. */
    private BrokerConfig effective() {
        StorageConfig s = config.storage();
        if (!s.dataDir().equals(StorageConfig.defaults().dataDir())) {
            return config; // the test chose a directory
        }
        String wanted = System.getProperty(STORAGE_PROPERTY, "memory");
        if ("memory".equals(s.type()) || "memory".equals(wanted)) {
            return config.withStorage(StorageConfig.memory());
        }
        return config.withStorage(new StorageConfig("rocksdb", dataDir().toString(), s.durability(),
                s.fsyncIntervalMillis(), s.cleanupIntervalSeconds()));
    }

    public void start() {
        broker = build.apply(Broker.builder(effective())).start();
    }

    private static final List<Path> TEMP_DIRS = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TEMP_DIRS.forEach(EmbeddedBroker::deleteTree),
                "embedded-broker-cleanup"));
    }

    /** Deletes a directory and what it holds, quietly (as the JVM exits, say). */
    public static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // already gone, or not ours to delete
        }
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

    /** The configuration as started (with the storage the run chose). */
    public BrokerConfig config() {
        return effective();
    }

    /**
     * Starts the broker for a test class. JUnit calls this again for each {@code @Nested} class
     * inside it: the broker already running serves those too, and stops after the outermost class.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (classes++ == 0) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (--classes == 0) {
            close();
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
