package io.switchboard.interop;

import static io.switchboard.interop.Interop.TIMEOUT;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One small interface over the Paho 3.1.1 and Paho MQTT 5 synchronous clients, so the same test
 * runs on both; every received message goes to an inbox read with a timeout.
 */
final class PahoClients {
    private PahoClients() {
    }

    enum Flavor { PAHO_3, PAHO_5 }

    /** A message as either client received it; {@code v5} is the Paho 5 message when there is one. */
    record Received(String topic, String payload, int qos, boolean retained,
            org.eclipse.paho.mqttv5.common.MqttMessage v5) {
    }

    interface Client extends AutoCloseable {
        /** Connects; returns the Session Present flag. */
        boolean connect(boolean cleanSession) throws Exception;

        void subscribe(String filter, int qos) throws Exception;

        void publish(String topic, String payload, int qos, boolean retain) throws Exception;

        /** Disconnects normally (DISCONNECT), keeping the client usable for a later connect. */
        void disconnect() throws Exception;

        /** Completes (with the cause, possibly null) when the broker ends the connection. */
        CompletableFuture<Object> connectionLost();

        BlockingQueue<Received> inbox();

        /** The next message received; fails after the timeout. */
        default Received next() throws InterruptedException {
            Received r = inbox().poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no message within " + TIMEOUT);
            }
            return r;
        }
    }

    static Client create(Flavor f, int port, String id) throws Exception {
        return f == Flavor.PAHO_3 ? new V3(port, id) : new V5(port, id);
    }

    static String uri(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    /** What both adapters keep: the inbox of received messages and the lost-connection signal. */
    abstract static class Base implements Client {
        final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<Object> lost = new CompletableFuture<>();

        @Override
        public CompletableFuture<Object> connectionLost() {
            return lost;
        }

        @Override
        public BlockingQueue<Received> inbox() {
            return inbox;
        }
    }

    static final class V3 extends Base {
        final MqttClient client;
        final MqttConnectOptions options = new MqttConnectOptions();

        V3(int port, String id) throws Exception {
            client = new MqttClient(uri(port), id, new MemoryPersistence());
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setAutomaticReconnect(false);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                    inbox.add(new Received(topic, new String(m.getPayload(), UTF_8), m.getQos(), m.isRetained(),
                            null));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
        }

        @Override
        public boolean connect(boolean cleanSession) throws Exception {
            options.setCleanSession(cleanSession);
            return client.connectWithResult(options).getSessionPresent();
        }

        @Override
        public void subscribe(String filter, int qos) throws Exception {
            client.subscribe(filter, qos);
        }

        @Override
        public void publish(String topic, String payload, int qos, boolean retain) throws Exception {
            client.publish(topic, payload.getBytes(UTF_8), qos, retain);
        }

        @Override
        public void disconnect() throws Exception {
            client.disconnect();
        }

        @Override
        public void close() throws Exception {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
            } finally {
                client.close(true);
            }
        }
    }

    static final class V5 extends Base {
        final org.eclipse.paho.mqttv5.client.MqttClient client;
        final MqttConnectionOptions options = new MqttConnectionOptions();

        V5(int port, String id) throws Exception {
            client = new org.eclipse.paho.mqttv5.client.MqttClient(uri(port), id,
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            options.setAutomaticReconnect(false);
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    lost.complete(response);
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    lost.complete(exception);
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                    inbox.add(new Received(topic, new String(m.getPayload(), UTF_8), m.getQos(), m.isRetained(), m));
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
        }

        /** Clean Start as asked; a persistent session (clean false) gets a 300 s Session Expiry Interval. */
        @Override
        public boolean connect(boolean cleanStart) throws Exception {
            options.setCleanStart(cleanStart);
            options.setSessionExpiryInterval(cleanStart ? null : 300L);
            return client.connectWithResult(options).getSessionPresent();
        }

        @Override
        public void subscribe(String filter, int qos) throws Exception {
            client.subscribe(filter, qos);
        }

        @Override
        public void publish(String topic, String payload, int qos, boolean retain) throws Exception {
            client.publish(topic, payload.getBytes(UTF_8), qos, retain);
        }

        void publish(String topic, String payload, int qos, MqttProperties props) throws Exception {
            client.publish(topic, new org.eclipse.paho.mqttv5.common.MqttMessage(payload.getBytes(UTF_8), qos, false,
                    props));
        }

        @Override
        public void disconnect() throws Exception {
            client.disconnect();
        }

        @Override
        public void close() throws Exception {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
            } finally {
                client.close(true);
            }
        }
    }
}
