package io.switchboard.interop;

import io.switchboard.testkit.MosquittoBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@code switchboard rpc} against Eclipse Mosquitto: the command line works with any MQTT 5 broker. */
class RpcCommandLineOnMosquittoInteropTest extends RpcCommandLineContract {
    private static MosquittoBroker mosquitto;

    @BeforeAll
    static void start() throws Exception {
        mosquitto = MosquittoBroker.start();
    }

    @AfterAll
    static void stop() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Override
    String host() {
        return mosquitto.host();
    }

    @Override
    int port() {
        return mosquitto.port();
    }
}
