package io.switchboard.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Eclipse Mosquitto broker ({@code /usr/sbin/mosquitto}, Debian package {@code mosquitto}) as a
 * child process on a free loopback port, for the tests that must run against a broker we did not
 * write: to see what a third-party broker does where the specification leaves room, or to check that
 * a client behaves the same against Mosquitto and Switchboard.
 * <pre>{@code
 * try (MosquittoBroker mosquitto = MosquittoBroker.start()) {
 *     RawClient c = RawClient.connect(mosquitto.port(), MqttVersion.V5, "probe");
 *     ...
 * }
 * }</pre>
 *
 * <p>Each broker has a temporary directory of its own with its configuration ({@code mosquitto.conf}:
 * one listener on 127.0.0.1, anonymous clients allowed, no persistence, errors, warnings, notices and
 * information logged to standard error) and its output ({@code mosquitto.log}, read with
 * {@link #logText()}; standard error is unbuffered, so a line is there as soon as it is logged).
 * {@link #start(String)} appends the test's own configuration lines after the listener line, so listener
 * options apply to it. Nothing is shared with a system Mosquitto service: that one, if any, listens on
 * 1883, which this never uses.
 *
 * <p>{@link #start} returns once Mosquitto has logged that it runs (so the extra configuration must not
 * turn the information log off) and the port accepts TCP connections. {@link #close} stops the broker
 * (SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_SECONDS} s) and deletes the directory; a shutdown
 * hook kills it if the JVM that started it exits first, so no broker outlives the test run.
 *
 * <p>When Mosquitto is not installed, {@link #start} fails saying so ({@code ./test} installs it).
 * Not thread-safe: one thread starts and closes it.
 */
public final class MosquittoBroker implements AutoCloseable {
    /** Where Debian installs the broker. */
    private static final Path DEBIAN_BINARY = Path.of("/usr/sbin/mosquitto");
    /** How long Mosquitto may take to run and accept connections after the process starts. */
    private static final long READY_TIMEOUT_MILLIS = 10_000;
    private static final long READY_POLL_MILLIS = 10;
    /** How long SIGTERM is given before SIGKILL, and SIGKILL before giving up. */
    private static final long STOP_TIMEOUT_SECONDS = 5;
    /** Starts on a port another process took between our choosing it and Mosquitto binding it, tried again. */
    private static final int START_ATTEMPTS = 5;
    /** What Mosquitto logs when its listener's port is taken. */
    private static final String PORT_TAKEN = "Address already in use";
    private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+)");
    /** What Mosquitto logs once every listener is open. */
    private static final Pattern RUNNING = Pattern.compile("mosquitto version \\S+ running");

    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;
    private final String version;
    private final Thread killer;
    /** The log as it was when the broker stopped, its file being deleted with the directory. */
    private String finalLog;

    private MosquittoBroker(Process process, Path dir, Path log, int port, String version, Thread killer) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.version = version;
        this.killer = killer;
    }

    /** Starts Mosquitto with the configuration of the class comment and waits until its port accepts connections. */
    public static MosquittoBroker start() throws IOException, InterruptedException {
        return start("");
    }

    /**
     * As {@link #start()}, with {@code extraConfig} (lines of {@code mosquitto.conf(5)}, e.g.
     * {@code "max_keepalive 10\n"}) appended after the listener line.
     */
    public static MosquittoBroker start(String extraConfig) throws IOException, InterruptedException {
        return start(List.of(), extraConfig);
    }

    /**
     * As {@link #start(String)}, the broker run under {@code launcher} (e.g. {@code taskset -c 0}, which
     * pins it to core 0; empty: none).
     */
    public static MosquittoBroker start(List<String> launcher, String extraConfig) throws IOException,
            InterruptedException {
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(extraConfig, "extraConfig");
        Path binary = binary();
        String version = version(binary);
        PortTaken taken = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            Path dir = Files.createTempDirectory("mosquitto-");
            try {
                return launch(launcher, binary, version, dir, BrokerProcess.freePort(), extraConfig);
            } catch (PortTaken e) {
                taken = e; // the broker stopped, its directory deleted: try another port
            } catch (IOException | InterruptedException | RuntimeException e) {
                EmbeddedBroker.deleteTree(dir); // when no process started, nothing else deletes it
                throw e;
            }
        }
        throw new IllegalStateException("mosquitto found its port taken at each of " + START_ATTEMPTS
                + " starts; its last output:\n" + taken.output, taken);
    }

    /** Mosquitto exited because its port was taken: by another process since we found it free, or by extra config. */
    private static final class PortTaken extends Exception {
        final String output;

        PortTaken(String output) {
            super("mosquitto found its port taken", null, false, false);
            this.output = output;
        }
    }

    /** Starts the process on {@code port} and waits until it accepts connections; stops it if that fails. */
    private static MosquittoBroker launch(List<String> launcher, Path binary, String version, Path dir, int port,
            String extraConfig)
            throws IOException, InterruptedException, PortTaken {
        Path config = dir.resolve("mosquitto.conf");
        Path log = dir.resolve("mosquitto.log");
        Files.writeString(config, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                // Standard error, not standard output: the C library buffers the latter in a file until exit.
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                extraConfig,
                ""), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(binary.toString(), "-c", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Thread killer = new Thread(() -> {
            process.destroyForcibly();
            EmbeddedBroker.deleteTree(dir);
        }, "kill-mosquitto");
        try {
            Runtime.getRuntime().addShutdownHook(killer);
        } catch (IllegalStateException e) { // the JVM is shutting down: no broker may outlive it
            killer.run();
            throw e;
        }
        MosquittoBroker broker = new MosquittoBroker(process, dir, log, port, version, killer);
        try {
            broker.awaitReady();
            return broker;
        } catch (PortTaken | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Waits until Mosquitto logs that it runs (every listener open: a listener of the extra configuration
     * may fail after ours opened) and the port accepts a TCP connection, the process still alive (the
     * connection is not to another process that took the port). Throws {@link PortTaken} when the process
     * exited because a port was taken; any other exit, or not ready in time, fails.
     */
    private void awaitReady() throws InterruptedException, PortTaken {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (true) {
            if (!process.isAlive()) {
                String text = logText();
                if (text.contains(PORT_TAKEN)) {
                    throw new PortTaken(text);
                }
                throw new IllegalStateException("mosquitto exited with status " + process.exitValue()
                        + "; its output:\n" + text);
            }
            if (RUNNING.matcher(logText()).find() && accepts() && process.isAlive()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("mosquitto (pid " + process.pid() + ") did not log that it runs and"
                        + " accept connections on " + host() + ":" + port + " within " + READY_TIMEOUT_MILLIS / 1000
                        + " s; its output:\n" + logText());
            }
            Thread.sleep(READY_POLL_MILLIS);
        }
    }

    /** Whether a TCP connection to the port succeeds now. */
    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The broker binary: Debian's, else {@code mosquitto} on the PATH. */
    private static Path binary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    Path p = Path.of(entry, "mosquitto");
                    if (Files.isExecutable(p)) {
                        return p;
                    }
                }
            }
        }
        throw new IllegalStateException("the Mosquitto broker is not installed (neither " + DEBIAN_BINARY
                + " nor mosquitto on the PATH): install the Debian package 'mosquitto' (./test installs it)");
    }

    /** The version the first line of {@code mosquitto -h} gives ("mosquitto version 2.0.11"), or that line. */
    private static String version(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-h").redirectErrorStream(true).start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
        } finally {
            if (!p.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        // mosquitto -h exits with status 3 (usage): only the output counts.
        String first = new String(out, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        Matcher m = VERSION.matcher(first);
        return m.find() ? m.group(1) : first;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host(), port);
    }

    /** Mosquitto's version, e.g. {@code 2.0.11}: the word after "mosquitto version" of {@code mosquitto -h}. */
    public String version() {
        return version;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The broker's output so far: its log, and anything else it printed. After {@link #close}, all of it. */
    public String logText() {
        if (finalLog != null) {
            return finalLog;
        }
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the broker: SIGTERM, SIGKILL when it has not exited {@value #STOP_TIMEOUT_SECONDS} s later;
     * waits until the process is gone, then deletes its directory. Does nothing the second time.
     */
    @Override
    public void close() {
        if (finalLog != null) {
            return;
        }
        boolean interrupted = false;
        boolean dead;
        try {
            process.destroy();
            dead = process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!dead) {
                process.destroyForcibly();
                dead = process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            interrupted = true;
            dead = true; // killed; not waited for, as this thread is asked to stop
        }
        try {
            finalLog = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            finalLog = "(the log could not be read: " + e + ")";
        }
        EmbeddedBroker.deleteTree(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway, harmlessly
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!dead) {
            throw new IllegalStateException("mosquitto (pid " + process.pid() + ") did not die within "
                    + STOP_TIMEOUT_SECONDS + " s of SIGKILL");
        }
    }

    @Override
    public String toString() {
        return "mosquitto " + version + " on " + host() + ":" + port + " (pid " + process.pid() + ")";
    }
}
