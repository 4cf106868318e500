package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.MosquittoExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RPC library against Eclipse Mosquitto: the library works on any MQTT 5 broker. Mosquitto
 * gives no Response Information, so replies come under {@link RpcClient#DEFAULT_REPLY_PREFIX}.
 */
class MosquittoRpcTest extends RpcContract {
    @RegisterExtension
    static final MosquittoExtension MOSQUITTO = new MosquittoExtension();

    @Override
    void letBrokerTimePass(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis()); // Mosquitto's clock is the machine's: the expiry must really pass
    }

    @Override
    String host() {
        return MOSQUITTO.host();
    }

    @Override
    int port() {
        return MOSQUITTO.port();
    }

    @Test
    void withoutResponseInformationRepliesComeUnderTheDocumentedPrefix() {
        RpcClient c = client();
        assertThat(c.replyTopic()).matches("rpc/reply/[0-9a-f]{24}");
    }
}
