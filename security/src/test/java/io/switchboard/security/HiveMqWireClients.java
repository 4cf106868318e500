package io.switchboard.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import java.util.Arrays;
import java.util.List;

/** {@link WireClient} on the HiveMQ MQTT Client, MQTT 5 and 3.1.1 (blocking API). */
final class HiveMqWireClients {
    private HiveMqWireClients() {
    }

    static final class Hive5 extends WireClient.Base {
        final Mqtt5BlockingClient client;

        Hive5(String id, Endpoint e) {
            var b = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("localhost").serverPort(e.port())
                    .addDisconnectedListener(ctx -> {
                        if (ctx.getSource() != MqttDisconnectSource.USER) {
                            closed.complete(ctx.getCause() instanceof Mqtt5DisconnectException d
                                    ? d.getMqttMessage().getReasonCode().getCode() : -1);
                        }
                    });
            if (e.pki() != null) {
                b = b.sslConfig(ssl(e));
            }
            if (e.user() != null) {
                var auth = b.simpleAuth().username(e.user());
                b = (e.password() == null ? auth : auth.password(e.password().getBytes(UTF_8))).applySimpleAuth();
            }
            client = b.buildBlocking();
            client.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
                    p -> inbox.add(new Received(p.getTopic().toString(), new String(p.getPayloadAsBytes(), UTF_8))));
        }

        @Override
        public ConnAck connect() {
            try {
                return new ConnAck(client.connect().getReasonCode().getCode(), null);
            } catch (Mqtt5ConnAckException x) {
                return new ConnAck(x.getMqttMessage().getReasonCode().getCode(),
                        x.getMqttMessage().getReasonString().map(Object::toString).orElse(null));
            }
        }

        @Override
        public List<Integer> subscribe(int qos, String... filters) {
            Mqtt5SubAck ack;
            try {
                ack = client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(Arrays.stream(filters)
                        .map(f -> Mqtt5Subscription.builder().topicFilter(f).qos(MqttQos.fromCode(qos)).build()))
                        .build());
            } catch (Mqtt5SubAckException x) {
                ack = x.getMqttMessage();
            }
            return ack.getReasonCodes().stream().map(c -> c.getCode()).toList();
        }

        @Override
        public int publish(String topic, String payload, int qos) {
            try {
                var result = client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(UTF_8))
                        .send();
                return result.getError().isPresent() ? -1 : 0;
            } catch (Mqtt5PubAckException x) {
                return x.getMqttMessage().getReasonCode().getCode();
            } catch (Mqtt5PubRecException x) {
                return x.getMqttMessage().getReasonCode().getCode();
            }
        }

        @Override
        public boolean isConnected() {
            return client.getState() == MqttClientState.CONNECTED;
        }

        @Override
        public void close() {
            if (isConnected()) {
                client.disconnect();
            }
        }
    }

    static final class Hive3 extends WireClient.Base {
        final Mqtt3BlockingClient client;

        Hive3(String id, Endpoint e) {
            var b = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("localhost").serverPort(e.port())
                    .addDisconnectedListener(ctx -> {
                        if (ctx.getSource() != MqttDisconnectSource.USER) {
                            closed.complete(-1);
                        }
                    });
            if (e.pki() != null) {
                b = b.sslConfig(ssl(e));
            }
            if (e.user() != null) {
                var auth = b.simpleAuth().username(e.user());
                b = (e.password() == null ? auth : auth.password(e.password().getBytes(UTF_8))).applySimpleAuth();
            }
            client = b.buildBlocking();
            client.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
                    p -> inbox.add(new Received(p.getTopic().toString(), new String(p.getPayloadAsBytes(), UTF_8))));
        }

        @Override
        public ConnAck connect() {
            try {
                return new ConnAck(client.connect().getReturnCode().getCode(), null);
            } catch (Mqtt3ConnAckException x) {
                return new ConnAck(x.getMqttMessage().getReturnCode().getCode(), null);
            }
        }

        @Override
        public List<Integer> subscribe(int qos, String... filters) {
            Mqtt3SubAck ack;
            try {
                ack = client.subscribe(Mqtt3Subscribe.builder().addSubscriptions(Arrays.stream(filters)
                        .map(f -> Mqtt3Subscription.builder().topicFilter(f).qos(MqttQos.fromCode(qos)).build()))
                        .build());
            } catch (Mqtt3SubAckException x) {
                ack = x.getMqttMessage();
            }
            return ack.getReturnCodes().stream().map(Mqtt3SubAckReturnCode::getCode).toList();
        }

        @Override
        public int publish(String topic, String payload, int qos) {
            client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload.getBytes(UTF_8)).send();
            return 0;
        }

        @Override
        public boolean isConnected() {
            return client.getState() == MqttClientState.CONNECTED;
        }

        @Override
        public void close() {
            if (isConnected()) {
                client.disconnect();
            }
        }
    }
}
