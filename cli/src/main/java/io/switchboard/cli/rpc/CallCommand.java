package io.switchboard.cli.rpc;

import io.switchboard.cli.Version;
import io.switchboard.rpc.Call;
import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.ConnectionLostException;
import io.switchboard.rpc.NoResponderException;
import io.switchboard.rpc.Reply;
import io.switchboard.rpc.ResponderException;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.RpcException;
import io.switchboard.rpc.RpcTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard rpc call}: one request, its reply on stdout. Unlike {@code mosquitto_rr} it
 * takes only the reply carrying its own Correlation Data, and it fails at once when nobody listens.
 */
@Command(name = "call", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Sends a request to TOPIC and prints the reply's payload on stdout.",
            "Fails at once with status 4 when no responder is subscribed; see 'switchboard rpc --help'",
            "for every exit status."})
public final class CallCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The request topic.")
    String topic;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PAYLOAD",
            description = "The request payload (UTF-8); empty when left out; '-' reads it from stdin.")
    String payload;

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "How long to wait for the reply: 10, 10s, 500ms, 2m (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", defaultValue = "1",
            description = "QoS of the request, 0 to 2 (default ${DEFAULT-VALUE}).")
    int qos;

    @Option(names = {"-u", "--user-property"}, paramLabel = "NAME=VALUE",
            description = "A user property of the request; repeatable.")
    List<String> userProperties = new ArrayList<>();

    @Option(names = {"--content-type"}, paramLabel = "TYPE", description = "The request's Content Type.")
    String contentType;

    @Option(names = {"-N", "--no-newline"}, description = "Do not end the printed reply with a newline.")
    boolean noNewline;

    @Override
    public Integer call() throws IOException {
        Quiet.logToStderr();
        CallOptions options;
        try {
            options = CallOptions.defaults().withTimeout(timeout).withQos(qos).withContentType(contentType);
            for (String p : userProperties) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    return usage("user property '" + p + "': expected NAME=VALUE");
                }
                options = options.withUserProperty(p.substring(0, eq), p.substring(eq + 1));
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            Call.of(topic, new byte[0]); // a topic that cannot be published to is a usage error, before connecting
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        byte[] body = payload == null ? new byte[0]
                : "-".equals(payload) ? System.in.readAllBytes() : payload.getBytes(StandardCharsets.UTF_8);
        RpcClient client;
        try {
            client = connection.connect(false); // one call: a lost connection fails it (status 6)
        } catch (RpcException e) {
            return fail(RpcCommand.CONNECTION, e.getMessage());
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try (client) {
            Reply reply = client.callBlocking(topic, body, options);
            PrintStream out = System.out;
            out.write(reply.payload());
            if (!noNewline) {
                out.write('\n');
            }
            out.flush();
            return 0;
        } catch (NoResponderException e) {
            return fail(RpcCommand.NO_RESPONDER, e.getMessage());
        } catch (RpcTimeoutException e) {
            return fail(RpcCommand.TIMEOUT, e.getMessage());
        } catch (ResponderException e) {
            return fail(RpcCommand.RESPONDER_ERROR, "the responder answered with error " + e.code()
                    + (e.errorMessage().isEmpty() ? "" : ": " + e.errorMessage()));
        } catch (ConnectionLostException e) {
            return fail(RpcCommand.CONNECTION, e.getMessage());
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (RpcException e) {
            return fail(RpcCommand.REFUSED, e.getMessage());
        }
    }

    private static int fail(int status, String message) {
        System.err.println("switchboard rpc call: " + message);
        return status;
    }

    private static int usage(String message) {
        System.err.println("switchboard rpc call: " + message);
        return 2;
    }
}
