package io.switchboard.interop;

import io.switchboard.testkit.EmbeddedBroker;
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
}
