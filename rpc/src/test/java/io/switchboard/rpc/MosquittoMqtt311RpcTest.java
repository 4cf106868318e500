package io.switchboard.rpc;

import io.switchboard.testkit.MosquittoExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RPC library's MQTT 3.1.1 formats against Eclipse Mosquitto. */
class MosquittoMqtt311RpcTest extends Mqtt311RpcContract {
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
