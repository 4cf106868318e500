package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.MosquittoBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RPC library against Eclipse Mosquitto: the library works on any MQTT 5 broker. Mosquitto
 * gives no Response Information, so replies come under {@link RpcClient#DEFAULT_REPLY_PREFIX}.
 */
class MosquittoRpcTest extends RpcContract {
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
    void letBrokerTimePass(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis()); // Mosquitto's clock is the machine's: the expiry must really pass
    }

    @Override
    String host() {
        return mosquitto.host();
    }

    @Override
    int port() {
        return mosquitto.port();
    }

    @Test
    void withoutResponseInformationRepliesComeUnderTheDocumentedPrefix() {
        RpcClient c = client();
        assertThat(c.replyTopic()).matches("rpc/reply/[0-9a-f]{24}");
    }
}
