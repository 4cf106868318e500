package io.switchboard.testkit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker under measurement, in a JVM of its own ({@code java -jar switchboard.jar broker}), so
 * that its heap holds the broker and nothing of the clients. Its live heap is read with {@code jcmd}.
 * {@link #close} stops it (SIGTERM, then SIGKILL); a shutdown hook does the same if the benchmark dies.
 * {@link #readyNanos} is the time from starting the process to seeing "Ready." in its log.
 */
final class BrokerProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_MILLIS = 120_000;
    /** How often the log is read for "Ready.": the resolution of {@link #readyNanos}. */
    private static final long READY_POLL_MILLIS = 5;

    private final Process process;
    private final Path log;
    private final int port;
    private final String jcmd;
    private final Thread killer;
    private final long startedNanos;
    private long readyNanos;

    private BrokerProcess(Process process, Path log, int port, String jcmd, long startedNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.jcmd = jcmd;
        this.startedNanos = startedNanos;
        this.killer = new Thread(process::destroyForcibly, "kill-broker");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts the broker on a free loopback port and waits until it logs that it is ready. */
    static BrokerProcess start(Path jar, List<String> jvmOptions, Path log) throws IOException, InterruptedException {
        return start(jar, jvmOptions, null, log);
    }

    /**
     * Starts the broker with a configuration file ({@code --config}; null for the embedded defaults)
     * on a free loopback port, which replaces the port of the file's first listener.
     */
    static BrokerProcess start(Path jar, List<String> jvmOptions, Path config, Path log)
            throws IOException, InterruptedException {
        String java = javaHomeTool("java");
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "broker", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (config != null) {
            command.addAll(List.of("--config", config.toString()));
        }
        String jcmdTool = javaHomeTool("jcmd");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        BrokerProcess broker = new BrokerProcess(p, log, port, jcmdTool, started);
        try {
            broker.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (!Files.readString(log, StandardCharsets.UTF_8).contains("Ready.")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with status " + process.exitValue()
                        + "; its log (" + log + "):\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker did not log 'Ready.' within "
                        + READY_TIMEOUT_MILLIS / 1000 + " s; see " + log);
            }
            Thread.sleep(READY_POLL_MILLIS);
        }
        readyNanos = System.nanoTime() - startedNanos;
    }

    /** From starting the process to "Ready." in its log (within {@value #READY_POLL_MILLIS} ms). */
    long readyNanos() {
        return readyNanos;
    }

    /** The broker's output so far (its log). */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    long pid() {
        return process.pid();
    }

    /** The live heap by class, after a full GC (run by the histogram command itself). */
    ClassHistogram histogram() {
        return ClassHistogram.parse(jcmd("GC.class_histogram"));
    }

    /** Runs one {@code jcmd} command against the broker and returns its output. */
    String jcmd(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(jcmd);
        command.add(Long.toString(process.pid()));
        command.addAll(List.of(arguments));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
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
     * As {@link #close}; true when the broker exited on SIGTERM within 15 s (a clean stop: its
     * storage closed), false when it had to be killed.
     */
    boolean stop() throws InterruptedException {
        process.destroy();
        boolean clean = process.waitFor(15, TimeUnit.SECONDS);
        if (!clean) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
        forgetHook();
        return clean;
    }

    /** SIGKILL: the broker stops at once, as in a crash (nothing of its shutdown runs). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
        forgetHook();
    }

    private void forgetHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway, harmlessly
        }
    }

    /** A tool of the JDK running the benchmark, so the broker runs on the same JVM as the report says. */
    private static String javaHomeTool(String tool) {
        Path p = Path.of(System.getProperty("java.home"), "bin", tool);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " not found: run the benchmark on a JDK (jcmd is needed), not a JRE");
        }
        return p.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
