package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.EmbeddedBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code switchboard rpc} against Switchboard. */
class RpcCommandLineInteropTest extends RpcCommandLineContract {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @Override
    String host() {
        return BROKER.host();
    }

    @Override
    int port() {
        return BROKER.port();
    }

    @Test
    void badInputGetsStatus2AndAMessageNamingTheProblem() {
        Proc wildcard = cli("call", "cli-rpc/#", "x");
        assertThat(wildcard.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(wildcard.stderr()).contains(
                "switchboard rpc call: topic 'cli-rpc/#': a request topic may not contain '+', '#' or NUL");
        Proc noCa = cli("call", "cli-rpc/x", "--cafile", "/nonexistent/ca.pem");
        assertThat(noCa.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(noCa.stderr()).anySatisfy(l -> assertThat(l).contains("no readable file /nonexistent/ca.pem"));
        Proc badTimeout = cli("call", "cli-rpc/x", "--timeout", "soon");
        assertThat(badTimeout.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(badTimeout.stderr()).anySatisfy(l -> assertThat(l).contains("expected a duration such as 10, 10s"));
    }
}
