package io.switchboard.cli.rpc;

import io.switchboard.cli.Version;
import io.switchboard.rpc.ConnectionLostException;
import io.switchboard.rpc.Request;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.RpcException;
import io.switchboard.rpc.ServeOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard rpc serve FILTER -- COMMAND...}: answers each request by running the command
 * with the request payload on stdin; its stdout is the reply, a non-zero exit an error reply whose
 * message is its stderr. Runs until Ctrl-C or SIGTERM.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Answers requests on FILTER by running COMMAND for each: the request payload on its",
            "stdin, its stdout the reply; a non-zero exit sends an error reply (code exit-N, message:",
            "its stderr). The command sees RPC_TOPIC, RPC_CONTENT_TYPE and RPC_DEADLINE in its",
            "environment and is killed when the caller's deadline passes. Runs until Ctrl-C or SIGTERM.",
            "Example: switchboard rpc serve 'devices/+/echo' -- tr a-z A-Z"})
public final class ServeCommand implements Callable<Integer> {
    /** How much of a failing command's stderr goes into the error reply. */
    static final int MAX_ERROR_MESSAGE = 1000;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "FILTER", description = "The topic filter to serve (wildcards allowed).")
    String filter;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND",
            description = "The command and its arguments, after '--'.")
    List<String> command;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "4",
            description = "Requests run at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = {"-g", "--group"}, paramLabel = "NAME",
            description = "Join the shared-subscription group NAME ($share/NAME/FILTER): a pool of responders.")
    String group;

    @Option(names = {"--session-expiry"}, paramLabel = "DURATION", converter = Durations.class,
            description = {"Keep the MQTT session this long while offline (needs --client-id): requests queued",
                "meanwhile are answered on reconnecting, except those whose deadline passed. Default: none."})
    Duration sessionExpiry;

    @Override
    public Integer call() throws InterruptedException {
        Quiet.logToStderr();
        ServeOptions options;
        try {
            options = ServeOptions.defaults().withConcurrency(concurrency).withGroup(group);
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard rpc serve: " + e.getMessage());
            return 2;
        }
        RpcClient client;
        try {
            RpcClient.Builder b = connection.builder(true);
            if (sessionExpiry != null) {
                if (connection.clientId == null) {
                    throw new IllegalArgumentException("--session-expiry needs --client-id: a session is found again"
                            + " by its client id");
                }
                b.sessionExpiry(sessionExpiry);
            }
            // Declared before connecting: requests a resumed session holds are answered too.
            client = b.service(filter, this::run, options).connect();
        } catch (ConnectionLostException e) {
            System.err.println("switchboard rpc serve: " + e.getMessage());
            return RpcCommand.CONNECTION;
        } catch (RpcException e) {
            System.err.println("switchboard rpc serve: " + e.getMessage());
            return RpcCommand.REFUSED;
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard rpc serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            stopped.countDown();
        }, "sb-rpc-serve-stop"));
        System.err.println("switchboard rpc serve: serving " + filter + (group == null ? "" : " in group " + group)
                + " on " + connection.where() + (sessionExpiry == null ? "" : " (session kept " + sessionExpiry + ")")
                + " with " + String.join(" ", command) + " (" + concurrency + " at once). Stop with Ctrl-C.");
        stopped.await();
        return 0;
    }

    /** One request: the command run once. */
    Response run(Request request) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("RPC_TOPIC", request.topic());
        request.contentType().ifPresent(t -> env.put("RPC_CONTENT_TYPE", t));
        request.deadline().ifPresent(d -> env.put("RPC_DEADLINE", d.toString()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Response.error("cannot-run", "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        request.onCancel().thenRun(() -> p.descendants().forEach(ProcessHandle::destroy)).thenRun(p::destroy);
        byte[] payload = request.payload();
        Thread feeder = pump(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(payload);
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = pump(() -> copy(p.getErrorStream(), err));
        byte[] out = p.getInputStream().readAllBytes();
        int status = p.waitFor();
        errors.join();
        feeder.join();
        if (status != 0) {
            String message = err.toString(StandardCharsets.UTF_8).strip();
            if (message.length() > MAX_ERROR_MESSAGE) {
                message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
            }
            return Response.error("exit-" + status, message.isEmpty() ? command.get(0) + " exited with " + status : message);
        }
        return Response.of(out);
    }

    private interface Io {
        void run() throws IOException;
    }

    private static Thread pump(Io io) {
        Thread t = new Thread(() -> {
            try {
                io.run();
            } catch (IOException e) {
                // the command closed its end early: nothing more to move
            }
        }, "sb-rpc-serve-io");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) throws IOException {
        byte[] buf = new byte[8192];
        for (int n; (n = from.read(buf)) > 0; ) {
            if (to.size() < 64 * 1024) {
                to.write(buf, 0, n);
            }
        }
    }
}
