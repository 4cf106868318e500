package io.switchboard.cli;

import io.switchboard.broker.Broker;
import io.switchboard.broker.config.BrokerConfig;
import io.switchboard.broker.config.ConfigException;
import io.switchboard.broker.config.ConfigLoader;
import io.switchboard.broker.config.HttpConfig;
import io.switchboard.broker.config.ListenerConfig;
import io.switchboard.broker.storage.StorageOpenException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard broker}: runs the broker until interrupted (Ctrl-C or SIGTERM). */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Runs the MQTT broker until stopped with Ctrl-C or SIGTERM; SIGHUP reloads the security policy and TLS files.",
            "Without --config it runs on embedded defaults: MQTT on 127.0.0.1:1883, MQTT over WebSocket on"
                + " 127.0.0.1:8083/mqtt, and the HTTP listener (console, metrics, admin API) on 127.0.0.1:18080."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (see docs/configuration.md).")
    Path config;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST",
            description = "Address the default listener binds (default 127.0.0.1; 0.0.0.0 for all).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "TCP port of the default listener (default 1883; 0 picks a free port).")
    Integer port;

    @Option(names = "--ws-port", paramLabel = "PORT",
            description = "Port of the WebSocket listener of the embedded defaults (default 8083; 0 picks a free port).")
    Integer wsPort;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the HTTP listener (default 18080; 0 picks a free port).")
    Integer httpPort;

    @Option(names = "--no-http", description = "No HTTP listener (no console, metrics or admin API).")
    boolean noHttp;

    /** What runs without --config: MQTT over TCP and WebSocket, and the HTTP listener, on 127.0.0.1. */
    static BrokerConfig embeddedDefaults(String host, Integer wsPort) {
        return BrokerConfig.defaults()
                .withListener(new ListenerConfig("ws", "ws", host, wsPort == null ? 8083 : wsPort, null, null, null,
                        null, null))
                .withHttp(HttpConfig.local());
    }

    @Override
    public Integer call() throws InterruptedException {
        Logger log = LoggerFactory.getLogger("switchboard");
        BrokerConfig cfg;
        try {
            cfg = config == null ? embeddedDefaults(host, wsPort) : ConfigLoader.load(config);
            cfg = cfg.withDefaultListener(host, port);
            if (noHttp) {
                cfg = cfg.withHttp(HttpConfig.off());
            } else if (httpPort != null) {
                if (!cfg.http().enabled()) {
                    throw new ConfigException("--http-port: the configuration has no http section (add one, or"
                            + " leave --http-port out)");
                }
                cfg = cfg.withHttp(cfg.http().withPort(httpPort));
            }
        } catch (ConfigException e) {
            System.err.println("switchboard: configuration error: " + e.getMessage());
            return 2;
        }
        log.info("Switchboard {} starting on Java {}; configuration: {}", Version.current(),
                Runtime.version(), config == null ? "embedded defaults (no --config given)" : config.toAbsolutePath());
        // The shutdown hook is in place before the broker starts: clients connect as soon as a listener is
        // bound, while the rest (the HTTP listener, the rules) still starts, and a SIGTERM then must
        // still disconnect them with 0x8B rather than end the process under them.
        AtomicReference<Broker> running = new AtomicReference<>();
        CountDownLatch startDone = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                startDone.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Broker b = running.get();
            if (b != null) {
                b.close();
            }
            stopped.countDown();
        }, "sb-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Broker broker;
        try {
            broker = Broker.start(cfg);
            running.set(broker);
        } catch (ConfigException e) {
            // Found while starting: a TLS listener's certificate or key that is missing or unreadable.
            System.err.println("switchboard: configuration error: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 1;
        } catch (StorageOpenException e) {
            // A data directory that is corrupt, in use, or written by a newer version: say so and what to do.
            System.err.println("switchboard: storage: " + e.getMessage());
            return 1;
        } finally {
            startDone.countDown();
        }
        reloadOnHangup(broker, log);
        log.info("Ready. Stop with Ctrl-C.");
        stopped.await();
        return 0;
    }

    /** SIGHUP reloads the security policy and the TLS listeners' files (where the platform has the signal). */
    private static void reloadOnHangup(Broker broker, Logger log) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                log.info("SIGHUP: reloading the security policy and the TLS files");
                if (broker.config().security().policy() != null) {
                    broker.reloadSecurity();
                }
                broker.reloadTls().whenComplete((results, error) -> {
                    if (error != null) {
                        log.warn("SIGHUP: the TLS files could not be reloaded: {}", error.toString());
                    }
                });
            });
        } catch (IllegalArgumentException e) {
            log.info("No SIGHUP on this platform: the policy and the TLS files reload when their files change");
        }
    }
}
