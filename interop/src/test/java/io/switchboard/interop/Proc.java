package io.switchboard.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external process for a test: stdout and stderr are collected line by line by daemon threads,
 * every wait is bounded, and {@link #close()} kills whatever is still running.
 */
final class Proc implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final Thread outReader;
    private final Thread errReader;

    private Proc(File directory, List<String> command) throws IOException {
        this.command = command;
        this.process = new ProcessBuilder(command).directory(directory)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        this.outReader = reader(process.getInputStream(), out, "out");
        this.errReader = reader(process.getErrorStream(), err, "err");
    }

    static Proc start(List<String> command) {
        return start(null, command);
    }

    /** Starts a command in a directory (null: the tests' working directory). */
    static Proc start(File directory, List<String> command) {
        try {
            return new Proc(directory, List.copyOf(command));
        } catch (IOException e) {
            String tool = command.get(0);
            if (tool.startsWith("mosquitto_")) {
                throw new AssertionError(tool + " cannot be started (" + e.getMessage() + "). These tests drive "
                        + "Debian's mosquitto-clients: apt-get install -y mosquitto-clients (./test does it)", e);
            }
            if (tool.equals("node")) {
                throw new AssertionError("node cannot be started (" + e.getMessage() + "). The MQTT.js tests need"
                        + " Node.js 18 or newer: apt-get install -y nodejs npm, then ./test", e);
            }
            throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    private Thread reader(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "proc-" + name + "-" + command.get(0));
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the process to exit on its own (bounded) and returns its exit code, all output read. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " still running after " + timeout + "; " + describe());
            }
            outReader.join(timeout.toMillis());
            errReader.join(timeout.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for a successful exit (code 0) and returns stdout. */
    List<String> awaitSuccess(Duration timeout) {
        int code = awaitExit(timeout);
        if (code != 0) {
            throw new AssertionError(command + " exited with " + code + "; " + describe());
        }
        return stdout();
    }

    List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    List<String> stderr() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (SIGKILL: no chance to send DISCONNECT) and waits for it to be gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        return "stdout=" + stdout() + " stderr=" + List.copyOf(err);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
