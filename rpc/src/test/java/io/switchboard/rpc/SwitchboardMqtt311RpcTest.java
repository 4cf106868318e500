package io.switchboard.rpc;

import io.switchboard.testkit.EmbeddedBroker;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RPC library's MQTT 3.1.1 formats against Switchboard. */
class SwitchboardMqtt311RpcTest extends Mqtt311RpcContract {
    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @Override
    int brokerSubscriptions() {
        return BROKER.broker().subscriptions().size();
    }

    @Override
    String host() {
        return BROKER.host();
    }

    @Override
    int port() {
        return BROKER.port();
    }
}
