package io.switchboard.rpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The MQTT connection under an {@link RpcClient}, whatever the protocol version: MQTT 5
 * ({@link Mqtt5Link}) or 3.1.1 ({@link Mqtt3Link}). Only what request/response needs, in this
 * library's own types: calls and services never see the MQTT client's.
 */
interface Link {
    /** Publishes; completes with the broker's acknowledgement (at once for QoS 0, and on MQTT 3.1.1 always {@link Ack#OK}). */
    CompletableFuture<Ack> publish(Message message);

    /**
     * Subscribes; completes once the SUBACK came, exceptionally with an {@link RpcException} when the
     * broker refused. With {@code manualAck} a QoS 1/2 message is acknowledged only when the receiver
     * runs the {@code ack} it is given.
     */
    CompletableFuture<Void> subscribe(String filter, int qos, boolean manualAck, Receiver receiver);

    CompletableFuture<Void> unsubscribe(String filter);

    CompletableFuture<Void> disconnect();

    /** A message as published or received. {@code expirySeconds} is -1 when it has no Message Expiry. */
    record Message(String topic, byte[] payload, int qos, String responseTopic, byte[] correlationData,
            long expirySeconds, String contentType, List<UserProperty> userProperties) {
        static Message plain(String topic, byte[] payload, int qos) {
            return new Message(topic, payload, qos, null, null, -1, null, List.of());
        }
    }

    /** Takes a received message; {@code ack} acknowledges it (a no-op unless subscribed with manual acknowledgement). */
    @FunctionalInterface
    interface Receiver {
        void received(Message message, Runnable ack);
    }

    /** The broker's answer to a QoS 1 or 2 PUBLISH: its reason code (0 success) and reason string. */
    record Ack(int code, String reason) {
        static final Ack OK = new Ack(0, "");
        static final int NO_MATCHING_SUBSCRIBERS = 0x10;

        boolean isError() {
            return code >= 0x80;
        }
    }
}
