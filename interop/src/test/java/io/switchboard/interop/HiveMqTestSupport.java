package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** Client factories and receive helpers for the HiveMQ client tests; every client built is disconnected after the test. */
abstract class HiveMqTestSupport {
    abstract EmbeddedBroker broker();

    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeClients() {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                // already gone
            }
        }
    }

    // ---- client factories: every client built is disconnected after the test ----

    Mqtt5BlockingClient v5(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost(broker().host())
                .serverPort(broker().port()).buildBlocking();
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    Mqtt3BlockingClient v3(String id) {
        Mqtt3BlockingClient c = Mqtt3Client.builder().identifier(id).serverHost(broker().host())
                .serverPort(broker().port()).buildBlocking();
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    <T extends AutoCloseable> T closing(T t) {
        toClose.add(t);
        return t;
    }

    static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes p) throws InterruptedException {
        return p.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .orElseThrow(() -> new AssertionError("no message within " + TIMEOUT));
    }

    static Mqtt3Publish next(Mqtt3BlockingClient.Mqtt3Publishes p) throws InterruptedException {
        return p.receive(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .orElseThrow(() -> new AssertionError("no message within " + TIMEOUT));
    }

    static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), UTF_8);
    }

    static String text(Mqtt3Publish p) {
        return new String(p.getPayloadAsBytes(), UTF_8);
    }
}
