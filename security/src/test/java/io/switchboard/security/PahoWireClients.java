package io.switchboard.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** {@link WireClient} on Eclipse Paho: the 3.1.1 client and the MQTT 5 client (asynchronous API, waiting on tokens). */
final class PahoWireClients {
    private PahoWireClients() {
    }

    static final class Paho3 extends WireClient.Base {
        final MqttAsyncClient client;
        final MqttConnectOptions options = new MqttConnectOptions();

        Paho3(String id, Endpoint e) throws MqttException {
            client = new MqttAsyncClient(uri(e), id, new MemoryPersistence());
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setAutomaticReconnect(false);
            options.setCleanSession(true);
            if (e.pki() != null) {
                options.setSocketFactory(e.pki().clientContext(e.certificate()).getSocketFactory());
            }
            if (e.user() != null) {
                options.setUserName(e.user());
                if (e.password() != null) {
                    options.setPassword(e.password().toCharArray());
                }
            }
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    closed.complete(-1);
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    inbox.add(new Received(topic, new String(m.getPayload(), UTF_8)));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
        }

        @Override
        public ConnAck connect() throws MqttException {
            try {
                client.connect(options).waitForCompletion(TIMEOUT_SECONDS * 1000);
                return new ConnAck(0, null);
            } catch (MqttException x) {
                if (x.getReasonCode() >= 1 && x.getReasonCode() <= 5) { // a CONNACK return code
                    return new ConnAck(x.getReasonCode(), null);
                }
                throw x;
            }
        }

        @Override
        public List<Integer> subscribe(int qos, String... filters) throws MqttException {
            int[] q = new int[filters.length];
            Arrays.fill(q, qos);
            var token = client.subscribe(filters, q);
            token.waitForCompletion(TIMEOUT_SECONDS * 1000);
            return Arrays.stream(token.getGrantedQos()).boxed().toList();
        }

        @Override
        public int publish(String topic, String payload, int qos) throws MqttException {
            client.publish(topic, payload.getBytes(UTF_8), qos, false).waitForCompletion(TIMEOUT_SECONDS * 1000);
            return 0;
        }

        @Override
        public boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void close() throws MqttException {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(TIMEOUT_SECONDS * 1000);
                }
            } finally {
                client.close(true);
            }
        }
    }

    static final class Paho5 extends WireClient.Base {
        final org.eclipse.paho.mqttv5.client.MqttAsyncClient client;
        final MqttConnectionOptions options = new MqttConnectionOptions();

        Paho5(String id, Endpoint e) throws org.eclipse.paho.mqttv5.common.MqttException {
            client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(uri(e), id,
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            options.setAutomaticReconnect(false);
            options.setCleanStart(true);
            if (e.pki() != null) {
                options.setSocketFactory(e.pki().clientContext(e.certificate()).getSocketFactory());
            }
            if (e.user() != null) {
                options.setUserName(e.user());
                if (e.password() != null) {
                    options.setPassword(e.password().getBytes(UTF_8));
                }
            }
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse r) {
                    closed.complete(r.getException() == null ? r.getReturnCode() : -1);
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException x) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                    inbox.add(new Received(topic, new String(m.getPayload(), UTF_8)));
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

        @Override
        public ConnAck connect() throws org.eclipse.paho.mqttv5.common.MqttException {
            IMqttToken token = client.connect(options);
            try {
                token.waitForCompletion(TIMEOUT_SECONDS * 1000);
                return new ConnAck(0, null);
            } catch (org.eclipse.paho.mqttv5.common.MqttException x) {
                if (x.getReasonCode() < 0x80) {
                    throw x;
                }
                MqttProperties p = token.getResponseProperties();
                return new ConnAck(x.getReasonCode(), p == null ? null : p.getReasonString());
            }
        }

        @Override
        public List<Integer> subscribe(int qos, String... filters) throws Exception {
            int[] q = new int[filters.length];
            Arrays.fill(q, qos);
            IMqttToken token = client.subscribe(filters, q);
            token.waitForCompletion(TIMEOUT_SECONDS * 1000);
            return Arrays.stream(token.getReasonCodes()).boxed().toList();
        }

        @Override
        public int publish(String topic, String payload, int qos) throws Exception {
            IMqttToken token = client.publish(topic, payload.getBytes(UTF_8), qos, false);
            token.waitForCompletion(TIMEOUT_SECONDS * 1000);
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        }

        @Override
        public boolean isConnected() {
            return client.isConnected();
        }

        @Override
        public void close() throws Exception {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(TIMEOUT_SECONDS * 1000);
                }
            } finally {
                client.close(true);
            }
        }
    }
}
