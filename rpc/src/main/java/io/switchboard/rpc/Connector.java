package io.switchboard.rpc;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
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
        MqttClientBuilder b = MqttClient.builder().identifier(id).serverHost(o.host).serverPort(o.port)
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
        Format format = Format.of(o.format);
        boolean persistent = o.sessionExpirySeconds > 0;
        Link link;
        Mqtt5AsyncClient mqtt5 = null;
        Mqtt3AsyncClient mqtt3 = null;
        if (o.format == WireFormat.MQTT5) {
            mqtt5 = b.useMqttVersion5().buildAsync();
            link = new Mqtt5Link(mqtt5);
        } else {
            mqtt3 = b.useMqttVersion3().buildAsync();
            link = new Mqtt3Link(mqtt3);
        }
        Services services = new Services(link, format, timer, id, o.metrics != null ? o.metrics : RpcMetrics.detect());
        List<Services.Served> prepared = new ArrayList<>();
        for (RpcClient.Builder.Declared d : declared) {
            prepared.add(services.prepare(d.filter(), d.handler(), d.options()));
        }
        // What no subscription callback takes: requests a resumed session gets before its callbacks exist.
        // In place before the CONNECT goes: a broker may send them right behind its CONNACK.
        Link.Receiver remaining = (m, ack) -> {
            if (services.dispatch(m, ack)) {
                return; // acknowledged once answered
            }
            RpcClient c = self[0];
            if (c != null) {
                c.calls.onRemaining(m);
            }
            ack.run();
        };
        CompletableFuture<String> connected; // the reply topic (MQTT 5), or null
        if (mqtt5 != null) {
            Mqtt5AsyncClient mqtt = mqtt5;
            mqtt.publishes(MqttGlobalPublishFilter.REMAINING,
                    p -> remaining.received(Mqtt5Link.message(p), p::acknowledge), true);
            var connect = mqtt.connectWith().cleanStart(!persistent).sessionExpiryInterval(o.sessionExpirySeconds)
                    .restrictions().requestResponseInformation(true).applyRestrictions();
            if (o.username != null) {
                connect = connect.simpleAuth().username(o.username).password(o.password == null ? new byte[0] : o.password)
                        .applySimpleAuth();
            }
            connected = connect.send().thenApply((Mqtt5ConnAck ack) -> o.replyTopic != null ? o.replyTopic
                    : ack.getResponseInformation().map(info -> trimSlash(info.toString()) + "/rpc")
                            .orElse(RpcClient.DEFAULT_REPLY_PREFIX
                                    + (persistent ? derived(id) : HexFormat.of().formatHex(random(12)))));
        } else {
            Mqtt3AsyncClient mqtt = mqtt3;
            mqtt.publishes(MqttGlobalPublishFilter.REMAINING,
                    p -> remaining.received(Mqtt3Link.message(p), p::acknowledge), true);
            var connect = mqtt.connectWith().cleanSession(!persistent);
            if (o.username != null) {
                connect = connect.simpleAuth().username(o.username).password(o.password == null ? new byte[0] : o.password)
                        .applySimpleAuth();
            }
            connected = connect.send().thenApply(ack -> null);
        }
        return connected.thenCompose(topic -> {
            RpcClient client = new RpcClient(link, format, timer, id, topic, services, o.linger);
            self[0] = client;
            CompletableFuture<Void> replies = topic == null ? CompletableFuture.completedFuture(null)
                    : link.subscribe(topic, 1, false, (m, ack) -> client.calls.onReply(m));
            return replies.thenCompose(v -> CompletableFuture.allOf(prepared.stream().map(services::subscribeAsync)
                    .toArray(CompletableFuture[]::new))).thenApply(v -> client);
        }).whenComplete((c, e) -> {
            if (e != null) {
                timer.shutdownNow();
                link.disconnect();
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
