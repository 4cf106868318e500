package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static io.switchboard.interop.Interop.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.broker.auth.ConnectAttempt;
import io.switchboard.interop.SecureListeners.RecordingAuthenticator;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import io.switchboard.testkit.TestPki.Identity;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HiveMQ MQTT Client and Eclipse Paho 5 (Java clients with their own TLS and WebSocket code)
 * over TLS with a client certificate, over WebSocket, and over WebSocket with TLS; TLS 1.2 and 1.3.
 */
class SecureTransportsInteropTest extends HiveMqTestSupport {
    static final TestPki pki = TestPki.create();
    static final RecordingAuthenticator auth = new RecordingAuthenticator();

    @RegisterExtension
    static EmbeddedBroker broker = SecureListeners.broker(pki, auth);

    @Override
    EmbeddedBroker broker() {
        return broker;
    }

    /** A HiveMQ 5 client builder on a listener of the broker. */
    private static Mqtt5ClientBuilder hive(String id, String listener) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port(listener));
    }

    private Mqtt5BlockingClient track(Mqtt5BlockingClient c) {
        toClose.add(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    /** Subscribes, publishes at QoS 1 to itself and checks the message comes back. */
    private static void roundTrip(Mqtt5BlockingClient c, String payload) throws InterruptedException {
        String topic = unique("secure/hive");
        try (var in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(UTF_8)).send();
            Mqtt5Publish got = next(in);
            assertThat(got.getTopic().toString()).isEqualTo(topic);
            assertThat(text(got)).isEqualTo(payload);
        }
    }

    // ---- HiveMQ MQTT Client ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void hiveMqOverTlsWithAClientCertificate(String protocol) throws Exception {
        String id = unique("hive-tls");
        Mqtt5BlockingClient c = track(hive(id, "tls").sslConfig()
                .trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(TestPki.keyManagerFactory(pki.client()))
                .protocols(List.of(protocol))
                .applySslConfig().buildBlocking());
        c.connect();
        roundTrip(c, "over " + protocol);
        ConnectAttempt a = auth.of(id);
        assertThat(a.certificateName()).isEqualTo(TestPki.CLIENT_NAME);
        assertThat(a.transport()).isEqualTo("tls");
    }

    @Test
    void hiveMq3OverTlsWithAClientCertificate() throws Exception {
        String id = unique("hive3-tls");
        Mqtt3BlockingClient c = Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port("tls")).sslConfig()
                .trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(TestPki.keyManagerFactory(pki.client()))
                .applySslConfig().buildBlocking();
        c.connect();
        toClose.add(c::disconnect);
        String topic = unique("secure/hive3");
        try (var in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("3.1.1 over tls".getBytes(UTF_8)).send();
            assertThat(text(next(in))).isEqualTo("3.1.1 over tls");
        }
        assertThat(auth.of(id).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
        assertThat(auth.of(id).protocolVersion()).isEqualTo("3.1.1");
    }

    @Test
    void hiveMqWithoutAClientCertificateIsRefusedWhereOneIsRequired() {
        long before = broker.broker().metrics().tlsHandshakeFailures.sum();
        String id = unique("hive-no-cert");
        Mqtt5BlockingClient c = track(hive(id, "tls").sslConfig().trustManagerFactory(pki.trustManagerFactory())
                .applySslConfig().buildBlocking());
        assertThatThrownBy(c::connect).isInstanceOf(RuntimeException.class);
        await().atMost(TIMEOUT).until(() -> broker.broker().metrics().tlsHandshakeFailures.sum() > before);
        assertThat(auth.saw(id)).isFalse();
    }

    @Test
    void hiveMqOverWebSocket() throws Exception {
        String id = unique("hive-ws");
        Mqtt5BlockingClient c = track(hive(id, "ws").webSocketConfig().serverPath("mqtt").subprotocol("mqtt")
                .applyWebSocketConfig().buildBlocking());
        c.connect();
        roundTrip(c, "over ws");
        assertThat(auth.of(id).transport()).isEqualTo("ws");
        assertThat(auth.of(id).certificateName()).isNull();
    }

    @Test
    void hiveMqOverWebSocketWithTlsAndAClientCertificate() throws Exception {
        String id = unique("hive-wss");
        Mqtt5BlockingClient c = track(hive(id, "wss")
                .sslConfig().trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(TestPki.keyManagerFactory(pki.client())).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking());
        c.connect();
        roundTrip(c, "over wss");
        assertThat(auth.of(id).transport()).isEqualTo("wss");
        assertThat(auth.of(id).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
    }

    @Test
    void hiveMqOnAnotherWebSocketPathIsRefused() {
        String id = unique("hive-ws-path");
        Mqtt5BlockingClient c = track(hive(id, "ws").webSocketConfig().serverPath("not-mqtt")
                .applyWebSocketConfig().buildBlocking());
        assertThatThrownBy(c::connect).isInstanceOf(RuntimeException.class);
        assertThat(auth.saw(id)).isFalse();
    }

    // ---- Eclipse Paho 5 ----

    /** A connected Paho 5 client with every message it receives in {@code inbox}. */
    private MqttClient paho(String uri, String id, Identity cert, BlockingQueue<MqttMessage> inbox)
            throws MqttException {
        MqttClient c = new MqttClient(uri, id, new MemoryPersistence());
        toClose.add(() -> {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        });
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                inbox.add(m);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        if (uri.startsWith("ssl:") || uri.startsWith("wss:")) {
            o.setSocketFactory(pki.clientContext(cert).getSocketFactory());
        }
        c.connect(o);
        return c;
    }

    private static void pahoRoundTrip(MqttClient c, BlockingQueue<MqttMessage> inbox, String payload)
            throws Exception {
        String topic = unique("secure/paho");
        c.subscribe(topic, 1);
        c.publish(topic, payload.getBytes(UTF_8), 1, false);
        MqttMessage m = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("message within %s", TIMEOUT).isNotNull();
        assertThat(new String(m.getPayload(), UTF_8)).isEqualTo(payload);
    }

    @Test
    void paho5OverTlsWithAClientCertificate() throws Exception {
        String id = unique("paho-tls");
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient c = paho("ssl://127.0.0.1:" + broker.port("tls"), id, pki.client(), inbox);
        pahoRoundTrip(c, inbox, "paho over tls");
        assertThat(auth.of(id).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
        assertThat(auth.of(id).protocolVersion()).isEqualTo("5.0");
    }

    @Test
    void paho5OverWebSocket() throws Exception {
        String id = unique("paho-ws");
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient c = paho("ws://127.0.0.1:" + broker.port("ws") + "/mqtt", id, null, inbox);
        pahoRoundTrip(c, inbox, "paho over ws");
        assertThat(auth.of(id).transport()).isEqualTo("ws");
    }

    @Test
    void paho5OverWebSocketWithTls() throws Exception {
        String id = unique("paho-wss");
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttClient c = paho("wss://127.0.0.1:" + broker.port("wss") + "/mqtt", id, pki.client(), inbox);
        pahoRoundTrip(c, inbox, "paho over wss");
        assertThat(auth.of(id).transport()).isEqualTo("wss");
        assertThat(auth.of(id).certificateName()).isEqualTo(TestPki.CLIENT_NAME);
    }
}
