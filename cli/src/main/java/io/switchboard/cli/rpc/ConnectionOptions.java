package io.switchboard.cli.rpc;

import io.switchboard.rpc.RpcClient;
import picocli.CommandLine.Option;

/** How the client commands reach a broker: the options every one of them takes. */
public final class ConnectionOptions {
    @Option(names = {"-H", "--host"}, paramLabel = "HOST", defaultValue = "localhost",
            description = "Broker host (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "1883",
            description = "Broker port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-i", "--client-id"}, paramLabel = "ID",
            description = "MQTT client id (default: a random rpc-<hex>).")
    String clientId;

    @Option(names = {"--username"}, paramLabel = "NAME", description = "User name for the broker.")
    String username;

    @Option(names = {"--password"}, paramLabel = "SECRET",
            description = "Password for the broker (or the SWITCHBOARD_PASSWORD environment variable).")
    String password;

    /** Connects; {@code reconnect}: whether to reconnect by itself after a lost connection (serve: yes, call: no). */
    RpcClient connect(boolean reconnect) {
        RpcClient.Builder b = RpcClient.builder().host(host).port(port).clientId(clientId).automaticReconnect(reconnect);
        String secret = password != null ? password : System.getenv("SWITCHBOARD_PASSWORD");
        if (username != null || secret != null) {
            b.credentials(username, secret);
        }
        return b.connect();
    }

    String where() {
        return host + ":" + port;
    }
}
