package io.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.testkit.MosquittoExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
    void letBrokerTimePass(Duration d) throws Exception {
        // Mosquitto's clock is the machine's: rather than sleep, wait until Mosquitto itself has expired a
        // retained probe published now with a Message Expiry of d; what expired sooner has expired too.
        String probe = "rpc-test/clock/" + System.nanoTime();
        Mqtt5BlockingClient c = raw("clock-probe-" + System.nanoTime());
        c.publishWith().topic(probe).retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .messageExpiryInterval(Math.max(1, (d.toMillis() + 999) / 1000)).payload(utf8("probe")).send();
        c.publishWith().topic(probe + "/marker").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker")).send();
        await().atMost(d.plusSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> probeExpired(probe));
        c.publishWith().topic(probe + "/marker").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[0]).send();
    }

    /**
     * Retained messages come in the order of the subscriptions: the marker's arriving first means
     * Mosquitto no longer holds the probe.
     */
    private boolean probeExpired(String probe) throws Exception {
        Mqtt5BlockingClient look = MqttClient.builder().useMqttVersion5().identifier("clock-look-" + System.nanoTime())
                .serverHost(host()).serverPort(port()).buildBlocking();
        look.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes got = look.publishes(MqttGlobalPublishFilter.ALL)) {
            look.subscribeWith().topicFilter(probe).send();
            look.subscribeWith().topicFilter(probe + "/marker").send();
            Mqtt5Publish first = got.receive(10, TimeUnit.SECONDS).orElseThrow();
            return first.getTopic().toString().endsWith("/marker");
        } finally {
            look.disconnect();
        }
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
