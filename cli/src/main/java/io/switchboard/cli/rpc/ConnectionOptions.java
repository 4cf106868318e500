package io.switchboard.cli.rpc;

import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.TlsOptions;
import io.switchboard.rpc.WireFormat;
import picocli.CommandLine;
import java.nio.file.Path;
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
    @Option(names = {"--tls"}, description = "Connect over TLS, trusting the Java runtime's certificate authorities"
            + " (implied by --cafile).")
    boolean tls;

    @Option(names = {"--cafile"}, paramLabel = "FILE",
            description = "Trust the certificate authorities in this PEM file (implies --tls).")
    Path caFile;

    @Option(names = {"--cert"}, paramLabel = "FILE", description = "Client certificate, PEM (with --key).")
    Path certificate;

    @Option(names = {"--key"}, paramLabel = "FILE",
            description = "The client certificate's private key, unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY).")
    Path key;

    @Option(names = {"--insecure"}, description = "Do not check that the broker's certificate names the host.")
    boolean insecure;

    @Option(names = {"--wire-format"}, paramLabel = "FORMAT", defaultValue = "mqtt5", converter = WireFormats.class,
            description = {"mqtt5 (the default: MQTT 5 request/response properties), json-envelope (MQTT 3.1.1,",
                "request_id and reply topic in a JSON envelope) or json-rpc (MQTT 3.1.1, JSON-RPC 2.0 as",
                "mqtt-json-rpc speaks it). See docs/rpc.md, \"Wire formats\"."})
    WireFormat wireFormat;

    RpcClient connect(boolean reconnect) {
        return builder(reconnect).connect();
    }

    /** The client's settings, not connected yet; throws IllegalArgumentException for options that do not go together. */
    RpcClient.Builder builder(boolean reconnect) {
        RpcClient.Builder b = RpcClient.builder().host(host).port(port).clientId(clientId).automaticReconnect(reconnect)
                .wireFormat(wireFormat);
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (tls || caFile != null || certificate != null) {
            TlsOptions t = caFile != null ? TlsOptions.trusting(caFile) : TlsOptions.systemTrust();
            if (certificate != null) {
                t = t.withClientCertificate(certificate, key);
            }
            b.tls(t.withHostnameVerification(!insecure));
        }
        String secret = password != null ? password : System.getenv("SWITCHBOARD_PASSWORD");
        if (username != null || secret != null) {
            b.credentials(username, secret);
        }
        return b;
    }

    /** {@code mqtt5}, {@code json-envelope}, {@code json-rpc}: the wire formats by their names in the docs. */
    static final class WireFormats implements CommandLine.ITypeConverter<WireFormat> {
        @Override
        public WireFormat convert(String value) {
            for (WireFormat f : WireFormat.values()) {
                if (f.name().replace('_', '-').equalsIgnoreCase(value)) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "': allowed mqtt5, json-envelope, json-rpc");
        }
    }

    String where() {
        return host + ":" + port;
    }
}
