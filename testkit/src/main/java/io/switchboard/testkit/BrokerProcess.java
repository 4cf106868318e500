package io.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker in a JVM of its own ({@code java -jar switchboard.jar broker}), on a loopback port: its
 * heap holds the broker and nothing of the clients, and it can be killed like a real process.
 * {@link #kill} is SIGKILL (nothing of the broker runs after it: no shutdown hook, no last write);
 * {@link #restart} starts the same command again, so on the same port with the same configuration
 * and data directory. {@link #close} stops it (SIGTERM, then SIGKILL); a shutdown hook kills it if
 * the JVM that started it dies.
 *
 * <p>Not thread-safe: one thread starts, kills and restarts it.
 */
public final class BrokerProcess implements AutoCloseable {
    /** Long enough for a start that reads a million stored messages back on a loaded machine. */
    private static final long READY_TIMEOUT_MILLIS = 120_000;
    /** How often the log is read for "Ready.": the resolution of {@link #readyNanos}. */
    private static final long READY_POLL_MILLIS = 5;
    /** What the broker logs once its listeners are open. */
    private static final String READY = "Ready.";

    private final List<String> command;
    private final Map<String, String> environment;
    private final int port;
    private final Thread killer;
    private volatile Process process;
    private Path log;
    private long readyNanos;

    private BrokerProcess(List<String> command, Map<String, String> environment, int port) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.port = port;
        this.killer = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "kill-broker");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts the broker with its embedded defaults on a free loopback port and waits until it is ready. */
    public static BrokerProcess start(Path jar, List<String> jvmOptions, Path log) throws IOException, InterruptedException {
        int port = freePort();
        return start(jar, jvmOptions, List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--ws-port", "0",
                "--no-http"), port,
                Map.of(), log);
    }

    /**
     * Starts the broker with a configuration file on a free loopback port, which replaces the port of
     * the file's first listener ({@code --host}, {@code --port}), and waits until it is ready.
     */
    public static BrokerProcess start(Path jar, List<String> jvmOptions, Path config, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        return start(jar, jvmOptions, List.of("--config", config.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port)), port, Map.of(), log);
    }

    /**
     * Starts the broker with a configuration file whose first listener is a TCP listener on
     * 127.0.0.1:{@code port}, and waits until it is ready. {@code environment} is added to this
     * JVM's (e.g. {@code SWITCHBOARD_LOG_LEVEL=DEBUG}).
     */
    public static BrokerProcess start(Path jar, List<String> jvmOptions, Path config, int port,
            Map<String, String> environment, Path log) throws IOException, InterruptedException {
        return start(jar, jvmOptions, List.of("--config", config.toString()), port, environment, log);
    }

    /**
     * As {@link #start(Path, List, Path, Path)}, the {@code java} command run under {@code launcher}
     * (e.g. {@code taskset -c 0}, which pins the broker to core 0; empty: none).
     */
    public static BrokerProcess start(List<String> launcher, Path jar, List<String> jvmOptions, Path config, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        return start(launcher, jar, jvmOptions, List.of("--config", config.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port)), port, Map.of(), log);
    }

    /**
     * Starts {@code command}, any broker that listens on 127.0.0.1:{@code port} and prints "Ready." once
     * it accepts connections (another broker through a launcher of its own, say), and waits until it
     * is ready; its output goes to {@code log}. Stopped, killed and watched as Switchboard's own.
     */
    public static BrokerProcess startCommand(List<String> command, int port, Path log)
            throws IOException, InterruptedException {
        BrokerProcess broker = new BrokerProcess(command, Map.of(), port);
        broker.launch(log);
        return broker;
    }

    private static BrokerProcess start(Path jar, List<String> jvmOptions, List<String> brokerArguments, int port,
            Map<String, String> environment, Path log) throws IOException, InterruptedException {
        return start(List.of(), jar, jvmOptions, brokerArguments, port, environment, log);
    }

    private static BrokerProcess start(List<String> launcher, Path jar, List<String> jvmOptions,
            List<String> brokerArguments, int port, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.add(javaHomeTool("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "broker"));
        command.addAll(brokerArguments);
        BrokerProcess broker = new BrokerProcess(command, environment, port);
        broker.launch(log);
        return broker;
    }

    /**
     * Starts the same command again (same port, configuration and data directory), logging to
     * {@code log}, and waits until it is ready. The previous process must be gone ({@link #kill}).
     */
    public void restart(Path log) throws IOException, InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            throw new IllegalStateException("the broker (pid " + p.pid() + ") is still running: kill it first");
        }
        launch(log);
    }

    private void launch(Path log) throws IOException, InterruptedException {
        this.log = log;
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        try {
            awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            kill();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        Process p = process;
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(READY)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the broker exited with status " + p.exitValue()
                        + "; its log (" + log + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker did not log '" + READY + "' within "
                        + READY_TIMEOUT_MILLIS / 1000 + " s; see " + log);
            }
            Thread.sleep(READY_POLL_MILLIS);
        }
        readyNanos = System.nanoTime() - started;
    }

    /** From starting the (last) process to "Ready." in its log, within {@value #READY_POLL_MILLIS} ms. */
    public long readyNanos() {
        return readyNanos;
    }

    /** The output of the current (or last) process so far. */
    public String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGKILL, and waits until the process is gone (its sockets closed, its data directory unlocked). */
    public void kill() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL on Linux and macOS
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker (pid " + p.pid() + ") did not die within 30 s of SIGKILL");
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The log of the current (or last) process. */
    public Path log() {
        return log;
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Runs one {@code jcmd} command (a JDK tool) against the broker and returns its output. */
    public String jcmd(String... arguments) {
        List<String> jcmd = new ArrayList<>();
        jcmd.add(javaHomeTool("jcmd"));
        jcmd.add(Long.toString(process.pid()));
        jcmd.addAll(List.of(arguments));
        try {
            Process p = new ProcessBuilder(jcmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", jcmd) + " failed:\n"
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the broker: SIGTERM (its shutdown hook closes the connections), SIGKILL after 15 s. */
    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * As {@link #close}; true when the broker exited on SIGTERM within 15 s (a clean stop: its storage
     * closed), false when it had to be killed.
     */
    public boolean stop() throws InterruptedException {
        Process p = process;
        boolean clean = true;
        if (p != null) {
            p.destroy();
            clean = p.waitFor(15, TimeUnit.SECONDS);
            if (!clean) {
                p.destroyForcibly();
                p.waitFor(15, TimeUnit.SECONDS);
            }
        }
        forgetHook();
        return clean;
    }

    private void forgetHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway, harmlessly
        }
    }

    /** A tool of the JDK running this JVM, so the broker runs on the same JVM as the report says. */
    public static String javaHomeTool(String tool) {
        Path p = Path.of(System.getProperty("java.home"), "bin", tool);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " not found: run on a JDK (" + tool + " is needed), not a JRE");
        }
        return p.toString();
    }

    /** A loopback port free now (another process may take it before it is bound: unlikely on loopback). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
