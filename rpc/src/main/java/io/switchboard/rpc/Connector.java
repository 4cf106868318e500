package io.switchboard.rpc;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Connecting an {@link RpcClient}: the MQTT client, reconnection after a connection that worked,
 * the reply topic and its subscription, and the services declared before connecting, all set up
 * before the client is handed out.
 */
final class Connector {
    private Connector() {
    }

    static CompletableFuture<RpcClient> connect(RpcClient.Builder o, List<RpcClient.Builder.Declared> declared) {
        String id = o.clientId != null ? o.clientId : "rpc-" + HexFormat.of().formatHex(random(8));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sb-rpc-timer-" + id);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a cancelled deadline leaves nothing queued
        RpcClient[] self = new RpcClient[1];
        Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5().identifier(id).serverHost(o.host).serverPort(o.port)
                .addDisconnectedListener(ctx -> {
                    RpcClient c = self[0];
                    if (c == null || c.closed) {
                        return; // the first connect fails at once, not by retrying; a closed client stays closed
                    }
                    c.calls.connectionLost(ctx.getCause());
                    if (o.reconnect) {
                        // 0.5 s, doubling up to 30 s; subscriptions come back with the connection.
                        long delay = Math.min(30_000, 500L << Math.min(6, ctx.getReconnector().getAttempts()));
                        ctx.getReconnector().reconnect(true).resubscribeIfSessionExpired(true)
                                .delay(delay, TimeUnit.MILLISECONDS);
                    }
                });
        if (o.tls != null) {
            var ssl = b.sslConfig().trustManagerFactory(o.tls.trustManagerFactory())
                    .keyManagerFactory(o.tls.keyManagerFactory());
            if (!o.tls.verifyHostname()) {
                ssl = ssl.hostnameVerifier((host, session) -> true);
            }
            b = ssl.applySslConfig();
        }
        Mqtt5AsyncClient mqtt = b.buildAsync();
        Services services = new Services(mqtt, timer, id, o.metrics != null ? o.metrics : RpcMetrics.detect());
        List<Services.Served> prepared = new ArrayList<>();
        for (RpcClient.Builder.Declared d : declared) {
            prepared.add(services.prepare(d.filter(), d.handler(), d.options()));
        }
        // What no subscription callback takes: requests a resumed session gets before its callbacks exist.
        mqtt.publishes(MqttGlobalPublishFilter.REMAINING, p -> {
            if (services.dispatch(p)) {
                return; // acknowledged once answered
            }
            RpcClient c = self[0];
            if (c != null && p.getTopic().toString().equals(c.replyTopic())) {
                c.calls.onReply(p);
            }
            p.acknowledge();
        }, true);
        boolean persistent = o.sessionExpirySeconds > 0;
        var connect = mqtt.connectWith().cleanStart(!persistent).sessionExpiryInterval(o.sessionExpirySeconds)
                .restrictions().requestResponseInformation(true).applyRestrictions();
        if (o.username != null) {
            connect = connect.simpleAuth().username(o.username).password(o.password == null ? new byte[0] : o.password)
                    .applySimpleAuth();
        }
        return connect.send().thenCompose((Mqtt5ConnAck ack) -> {
            String topic = o.replyTopic != null ? o.replyTopic : ack.getResponseInformation()
                    .map(info -> trimSlash(info.toString()) + "/rpc")
                    .orElse(RpcClient.DEFAULT_REPLY_PREFIX + (persistent ? derived(id) : HexFormat.of().formatHex(random(12))));
            RpcClient client = new RpcClient(mqtt, timer, id, topic, services);
            self[0] = client;
            return mqtt.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(client.calls::onReply)
                    .send().thenCompose((Mqtt5SubAck suback) -> {
                        if (suback.getReasonCodes().get(0).isError()) {
                            client.close();
                            throw new RpcException("the broker refused the subscription to the reply topic " + topic
                                    + ": " + suback.getReasonCodes().get(0));
                        }
                        return CompletableFuture.allOf(prepared.stream().map(services::subscribeAsync)
                                .toArray(CompletableFuture[]::new)).thenApply(v -> client);
                    });
        }).whenComplete((c, e) -> {
            if (e != null) {
                timer.shutdownNow();
                mqtt.disconnect();
            }
        }).exceptionallyCompose(e -> {
            Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(t instanceof RpcException ? t
                    : new ConnectionLostException("cannot connect to " + o.host + ":" + o.port + ": " + reason(t), t));
        });
    }

    /** The root cause's message, without the transport's class names. */
    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : t.getMessage();
        if (m == null) {
            return root.getClass().getSimpleName();
        }
        int refused = m.indexOf("Connection refused");
        return refused >= 0 ? "connection refused" : m;
    }

    /** 24 hex digits derived from the client id: the same reply topic for the same session. */
    private static String derived(String clientId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
