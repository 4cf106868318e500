package io.switchboard.testkit.crash;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HiveMQ MQTT client (5.0 or 3.1.1) with a persistent session: Clean Start 0 and a Session
 * Expiry Interval of an hour (5.0), Clean Session 0 (3.1.1). It reconnects on its own after the
 * broker dies (automatic reconnect, the same CONNECT), and the library keeps the session state in
 * this JVM meanwhile: outgoing QoS 1/2 messages not yet acknowledged, resent with DUP and their
 * packet ids once the session is resumed; incoming QoS 2 packet ids whose PUBREC went and whose
 * PUBREL has not come, so a QoS 2 PUBLISH the broker resends is answered without being delivered
 * again. Only the broker is killed, so that state never has to outlive this JVM.
 *
 * <p>Thread-safe: the library's threads call back, the crash test's threads call in.
 */
abstract class CrashClient {
    /** Session Expiry Interval of the 5.0 clients: longer than any run. */
    static final long SESSION_EXPIRY_SECONDS = 3600;

    final String id;
    /** CONNACKs received, and those among them after the first that did not resume the session. */
    private final AtomicInteger connacks = new AtomicInteger();
    private final AtomicInteger sessionsLost = new AtomicInteger();
    /**
     * Why the connection was lost or a connection attempt failed, by who decided it and the library's
     * exception: each kill, and each attempt while the broker restarts.
     */
    private final Map<String, AtomicInteger> disconnects = new ConcurrentHashMap<>();
    /** The first protocol errors the library found in what the broker sent (it then closes the connection). */
    private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    private final AtomicInteger protocolErrorCount = new AtomicInteger();
    /** Called with each application message received: its payload and the QoS it was delivered at. */
    private volatile MessageHandler handler = (payload, qos) -> {
    };

    interface MessageHandler {
        void onMessage(byte[] payload, int qos);
    }

    CrashClient(String id) {
        this.id = id;
    }

    static CrashClient v5(String id, int port) {
        return new V5(id, port);
    }

    static CrashClient v3(String id, int port) {
        return new V3(id, port);
    }

    abstract String version();

    void onMessage(MessageHandler h) {
        this.handler = h;
    }

    /** Connects with the persistent session (resumed if the broker has it). */
    abstract CompletableFuture<Void> connect();

    /** DISCONNECT with reason 0: the session stays on the broker (and in the library) while offline. */
    abstract CompletableFuture<Void> disconnect();

    abstract CompletableFuture<Void> subscribe(String filter, int qos);

    /**
     * Publishes; the stage completes when the broker accepted the message (PUBACK for QoS 1, PUBREC for
     * QoS 2, without an error code), with false when it said that no subscription matched (5.0, 0x10),
     * and fails when it refused it (an error code) or the library gave up on it (the session was lost).
     */
    abstract CompletableFuture<Boolean> publish(String topic, int qos, byte[] payload);

    abstract MqttClientState state();

    boolean connected() {
        return state() == MqttClientState.CONNECTED;
    }

    int connacks() {
        return connacks.get();
    }

    /** Reconnections that found no session on the broker (Session Present 0 after the first CONNACK). */
    int sessionsLost() {
        return sessionsLost.get();
    }

    Map<String, AtomicInteger> disconnects() {
        return disconnects;
    }

    int protocolErrors() {
        return protocolErrorCount.get();
    }

    List<String> protocolErrorMessages() {
        return List.copyOf(protocolErrors);
    }

    void connected(boolean sessionPresent) {
        if (connacks.incrementAndGet() > 1 && !sessionPresent) {
            sessionsLost.incrementAndGet();
        }
    }

    void disconnected(MqttClientDisconnectedContext context) {
        if (context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        Throwable cause = context.getCause();
        String kind = context.getSource() + " " + cause.getClass().getSimpleName();
        disconnects.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        // The library closes the connection itself (DISCONNECT, or a close in 3.1.1) when the broker
        // broke the protocol, e.g. a QoS 1 PUBLISH under a packet id still in a QoS 2 exchange.
        if (context.getSource() == MqttDisconnectSource.CLIENT
                && cause.getClass().getSimpleName().endsWith("DisconnectException")) {
            protocolErrorCount.incrementAndGet();
            if (protocolErrors.size() < 5) {
                protocolErrors.add(id + ": " + cause.getMessage());
            }
        }
    }

    void received(byte[] payload, int qos) {
        handler.onMessage(payload, qos);
    }

    static MqttQos qos(int qos) {
        return MqttQos.fromCode(qos);
    }

    private static final class V5 extends CrashClient {
        private final Mqtt5AsyncClient client;

        V5(String id, int port) {
            super(id);
            client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
                    .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                    .applyAutomaticReconnect()
                    .addConnectedListener(this::connectedContext)
                    .addDisconnectedListener(this::disconnected)
                    .buildAsync();
            // Every PUBLISH the broker sends, whichever subscription it is for (or none): nothing slips by.
            client.publishes(MqttGlobalPublishFilter.ALL, p -> received(p.getPayloadAsBytes(), p.getQos().getCode()));
        }

        private void connectedContext(MqttClientConnectedContext c) {
            connected(((Mqtt5ClientConnectedContext) c).getConnAck().isSessionPresent());
        }

        @Override
        String version() {
            return "5.0";
        }

        @Override
        CompletableFuture<Void> connect() {
            return client.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY_SECONDS).keepAlive(30)
                    .send().thenApply(a -> null);
        }

        @Override
        CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }

        @Override
        CompletableFuture<Void> subscribe(String filter, int qos) {
            return client.subscribeWith().topicFilter(filter).qos(qos(qos)).send().thenApply(a -> {
                if (a.getReasonCodes().get(0).isError()) {
                    throw new IllegalStateException("SUBACK " + a.getReasonCodes().get(0) + " for " + filter);
                }
                return null;
            });
        }

        @Override
        CompletableFuture<Boolean> publish(String topic, int qos, byte[] payload) {
            // The library fails the stage on an error code (0x80 and above). A success is 0x00, or 0x10
            // (no matching subscribers): accepted all the same, but here it would mean lost subscriptions.
            return client.publishWith().topic(topic).qos(qos(qos)).payload(payload).send()
                    .thenApply(r -> !(r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1
                            && q1.getPubAck().getReasonCode() == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS)
                            && !(r instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2
                            && q2.getPubRec().getReasonCode() == Mqtt5PubRecReasonCode.NO_MATCHING_SUBSCRIBERS));
        }

        @Override
        MqttClientState state() {
            return client.getState();
        }
    }

    private static final class V3 extends CrashClient {
        private final Mqtt3AsyncClient client;

        V3(String id, int port) {
            super(id);
            client = Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
                    .automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS).maxDelay(500, TimeUnit.MILLISECONDS)
                    .applyAutomaticReconnect()
                    .addConnectedListener(this::connectedContext)
                    .addDisconnectedListener(this::disconnected)
                    .buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, p -> received(p.getPayloadAsBytes(), p.getQos().getCode()));
        }

        private void connectedContext(MqttClientConnectedContext c) {
            connected(((Mqtt3ClientConnectedContext) c).getConnAck().isSessionPresent());
        }

        @Override
        String version() {
            return "3.1.1";
        }

        @Override
        CompletableFuture<Void> connect() {
            return client.connectWith().cleanSession(false).keepAlive(30).send().thenApply(a -> null);
        }

        @Override
        CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }

        @Override
        CompletableFuture<Void> subscribe(String filter, int qos) {
            return client.subscribeWith().topicFilter(filter).qos(qos(qos)).send().thenApply(a -> {
                if (a.getReturnCodes().get(0).isError()) {
                    throw new IllegalStateException("SUBACK " + a.getReturnCodes().get(0) + " for " + filter);
                }
                return null;
            });
        }

        @Override
        CompletableFuture<Boolean> publish(String topic, int qos, byte[] payload) {
            return client.publishWith().topic(topic).qos(qos(qos)).payload(payload).send().thenApply(p -> true);
        }

        @Override
        MqttClientState state() {
            return client.getState();
        }
    }
}
