package io.switchboard.interop;

import io.switchboard.testkit.MosquittoExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code switchboard rpc} against Eclipse Mosquitto: the command line works with any MQTT 5 broker. */
class RpcCommandLineOnMosquittoInteropTest extends RpcCommandLineContract {
    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = new MosquittoExtension();

    @Override
    String host() {
        return MOSQUITTO.host();
    }

    @Override
    int port() {
        return MOSQUITTO.port();
    }
}
