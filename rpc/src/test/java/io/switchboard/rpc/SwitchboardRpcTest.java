package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RPC library against Switchboard, which hands out Response Information. */
class SwitchboardRpcTest extends RpcContract {
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
    void repliesComeUnderTheBrokersResponseInformationPrefix() {
        RpcClient c = RpcClient.builder().host(host()).port(port()).clientId("caller/7").connect();
        try {
            // Switchboard's private prefix [MQTT-3.2.2.3.15]: $reply/{client id}, with '/' written %2F.
            assertThat(c.replyTopic()).isEqualTo("$reply/caller%2F7/rpc");
        } finally {
            c.close();
        }
    }
}
