package io.switchboard.admin.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchboard.broker.Broker;
import io.switchboard.broker.metrics.BrokerMetrics;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The broker's counters and gauges as Micrometer meters, each reading the broker's own counter when
 * scraped. Names are Micrometer's (dotted); the Prometheus registry writes them in Prometheus
 * conventions ({@code switchboard_deliveries_total}, {@code switchboard_payload_received_bytes_total});
 * docs/operations.md lists them all.
 */
final class BrokerMeters implements MeterBinder {
    private final Broker broker;

    BrokerMeters(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        BrokerMetrics m = broker.metrics();
        gauge(r, "switchboard.clients.connected", "Clients connected now (CONNACK 0x00 sent, connection open)",
                m, x -> x.clientsConnected.get());
        gauge(r, "switchboard.clients.connected.max", "The most clients connected at once since the broker started",
                m, x -> x.clientsMaximum.get());
        counter(r, "switchboard.connections.opened", "Network connections accepted", m.connectionsOpened);
        counter(r, "switchboard.connections.closed", "Network connections closed", m.connectionsClosed);
        counter(r, "switchboard.connections.rejected", "Connections refused by a listener's bounds before any MQTT"
                + " (connections, pending CONNECTs, rate)", m.connectionsRejected);
        counter(r, "switchboard.tls.handshake.failures", "Failed TLS handshakes", m.tlsHandshakeFailures);
        Gauge.builder("switchboard.sessions", broker, b -> b.metrics().clientsConnected.get()).tag("state", "online")
                .description("Sessions, by whether a client is connected to them").register(r);
        Gauge.builder("switchboard.sessions", broker,
                b -> Math.max(0, b.sessions().size() - b.metrics().clientsConnected.get())).tag("state", "offline")
                .description("Sessions, by whether a client is connected to them").register(r);
        gauge(r, "switchboard.subscriptions", "Subscriptions, shared group members included", broker,
                b -> b.subscriptions().size());
        gauge(r, "switchboard.retained.messages", "Retained messages", broker, b -> b.retained().size());
        FunctionCounter.builder("switchboard.network.received", m.bytesReceived, LongAdder::sum).baseUnit("bytes")
                .description("MQTT bytes read from clients (TLS and WebSocket framing not counted)").register(r);
        FunctionCounter.builder("switchboard.network.sent", m.bytesSent, LongAdder::sum).baseUnit("bytes")
                .description("MQTT bytes written to clients (TLS and WebSocket framing not counted)").register(r);
        for (int q = 0; q <= 2; q++) {
            int qos = q;
            String tag = Integer.toString(q);
            FunctionCounter.builder("switchboard.messages.received", m, x -> x.messagesReceived.sum(qos)).tag("qos", tag)
                    .description("PUBLISH packets received from clients, by QoS").register(r);
            FunctionCounter.builder("switchboard.messages.sent", m, x -> x.messagesSent.sum(qos)).tag("qos", tag)
                    .description("PUBLISH packets sent to clients, by QoS").register(r);
            FunctionCounter.builder("switchboard.payload.received", m, x -> x.payloadBytesReceived.sum(qos))
                    .tag("qos", tag).baseUnit("bytes").description("Payload bytes of the PUBLISHes received, by QoS")
                    .register(r);
            FunctionCounter.builder("switchboard.payload.sent", m, x -> x.payloadBytesSent.sum(qos))
                    .tag("qos", tag).baseUnit("bytes").description("Payload bytes of the PUBLISHes sent, by QoS")
                    .register(r);
        }
        counter(r, "switchboard.deliveries", "Messages the router handed to subscriber sessions (one per subscriber;"
                + " queued for offline sessions included)", m.deliveries);
        gauge(r, "switchboard.messages.queued", "Messages waiting in session queues, not yet sent", m,
                x -> x.queuedMessages.sum());
        gauge(r, "switchboard.messages.inflight", "QoS 1 and 2 messages sent and not yet acknowledged", m,
                x -> x.inflightMessages.sum());
        dropped(r, "queue_full", m.droppedQueueFull);
        dropped(r, "offline_qos0", m.droppedOfflineQos0);
        dropped(r, "expired", m.droppedExpired);
        dropped(r, "too_large", m.droppedTooLarge);
        dropped(r, "slow_consumer", m.droppedSlowConsumer);
        dropped(r, "not_authorized", m.droppedNotAuthorized);
        counter(r, "switchboard.slow.subscribers", "Times a subscriber was declared slow", m.slowSubscribers);
        counter(r, "switchboard.rpc.requests", "PUBLISHes with a Response Topic (requests) received", m.rpcRequests);
        counter(r, "switchboard.rpc.replies", "PUBLISHes with Correlation Data and no Response Topic (replies)"
                + " received", m.rpcReplies);
        FunctionCounter.builder("switchboard.rpc.broker.replies", m.rpcNoResponderReplies, LongAdder::sum)
                .tag("reason", "no_responder").description("Replies the broker sent for a request it could not deliver")
                .register(r);
        FunctionCounter.builder("switchboard.rpc.broker.replies", m.rpcExpiryReplies, LongAdder::sum)
                .tag("reason", "expired").description("Replies the broker sent for a request it could not deliver")
                .register(r);
    }

    private static void dropped(MeterRegistry r, String reason, LongAdder adder) {
        FunctionCounter.builder("switchboard.messages.dropped", adder, LongAdder::sum).tag("reason", reason)
                .description("Messages the broker did not deliver, by reason").register(r);
    }

    private static void counter(MeterRegistry r, String name, String help, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(r);
    }

    private static <T> void gauge(MeterRegistry r, String name, String help, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(help).register(r);
    }
}
