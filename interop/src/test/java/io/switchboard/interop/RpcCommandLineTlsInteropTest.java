package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.interop.SecureListeners.RecordingAuthenticator;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code switchboard rpc call} over TLS with a client certificate, to a responder on the plain listener. */
class RpcCommandLineTlsInteropTest {
    static final TestPki PKI = TestPki.create();

    @RegisterExtension
    static EmbeddedBroker broker = SecureListeners.broker(PKI, new RecordingAuthenticator());

    private static List<String> cli(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("..", "cli", "target", "switchboard.jar").toAbsolutePath().normalize().toString(), "rpc"));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void callOverTlsWithAClientCertificate() {
        try (RpcClient device = RpcClient.builder().host("127.0.0.1").port(broker.port()).connect()) {
            device.serve("tls-cli/echo", r -> Response.of("secure " + r.payloadAsString()));
            try (Proc call = Proc.start(cli("call", "-H", "localhost", "-p", Integer.toString(broker.port("tls")),
                    "--cafile", PKI.ca().certificate().toString(), "--cert", PKI.client().certificate().toString(),
                    "--key", PKI.client().key().toString(), "tls-cli/echo", "hi"))) {
                assertThat(call.awaitSuccess(Duration.ofSeconds(60))).containsExactly("secure hi");
            }
            // The TLS listener wants a certificate: without one, the connection fails (status 6).
            try (Proc refused = Proc.start(cli("call", "-H", "localhost", "-p", Integer.toString(broker.port("tls")),
                    "--cafile", PKI.ca().certificate().toString(), "tls-cli/echo", "hi"))) {
                assertThat(refused.awaitExit(Duration.ofSeconds(60))).isEqualTo(6);
            }
        }
    }
}
