package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import io.switchboard.broker.auth.AccessControl;
import io.switchboard.testkit.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reloading the policy under load: 1,000 connected clients (HiveMQ MQTT Client, MQTT 5, user name
 * and password), in two fleets; a policy change revokes the red fleet's group binding and disables one
 * client. The red fleet's deliveries stop as soon as the reload has returned, the disabled client gets
 * DISCONNECT 0x87, and no other connection drops; messages in flight to the blue fleet meanwhile all
 * arrive. An invalid policy then leaves the one in force, with a message naming the file and the
 * problem. One test class, run in order: the clients are connected once.
 */
class ReloadUnderLoadTest {
    static final int CLIENTS = 1_000;
    static final int RED = 100;
    /** Disabled by the second policy. */
    static final String DISABLED = "c" + (CLIENTS - 1);
    static final String HASH = PasswordHash.pbkdf2(utf8("pw"), new byte[16], 1); // cheap: 1,000 connects

    static Path dir;
    static EmbeddedBroker broker;
    static final List<Mqtt5AsyncClient> clients = new ArrayList<>();
    static final Map<String, List<String>> received = new ConcurrentHashMap<>();
    static final Map<String, Mqtt5Disconnect> disconnects = new ConcurrentHashMap<>();
    static final AtomicInteger blueFleetDeliveries = new AtomicInteger();

    static String policy(boolean redBound, boolean lastEnabled) {
        StringBuilder b = new StringBuilder("clients:\n");
        b.append("  - {authenticationName: ops, passwordHash: '").append(HASH).append("', attributes: {role: ops}}\n");
        for (int i = 0; i < CLIENTS; i++) {
            b.append("  - {authenticationName: c").append(i).append(", passwordHash: '").append(HASH)
                    .append("', state: ").append(i == CLIENTS - 1 && !lastEnabled ? "disabled" : "enabled")
                    .append(", attributes: {fleet: ").append(i < RED ? "red" : "blue").append("}}\n");
        }
        b.append("""
                clientGroups:
                  - {name: ops, query: 'attributes.role = "ops"'}
                  - {name: red, query: 'attributes.fleet = "red"'}
                  - {name: blue, query: 'attributes.fleet IN ["blue"]'}
                topicSpaces:
                  - {name: fleets, topicTemplates: ['fleet/#', 'news']}
                  - {name: ownFleet, topicTemplates: ['fleet/${client.attributes.fleet}']}
                  - {name: news, topicTemplates: [news]}
                permissionBindings:
                  - {name: opsPub, clientGroupName: ops, topicSpaceName: fleets, permission: publisher}
                  - {name: blueSub, clientGroupName: blue, topicSpaceName: ownFleet, permission: subscriber}
                  - {name: newsSub, clientGroupName: $all, topicSpaceName: news, permission: subscriber}
                """);
        if (redBound) {
            b.append("  - {name: redSub, clientGroupName: red, topicSpaceName: ownFleet, permission: subscriber}\n");
        }
        return b.toString();
    }

    @BeforeAll
    static void connectTheFleet() throws Exception {
        dir = Files.createTempDirectory("switchboard-reload-");
        Files.writeString(dir.resolve("policy.yaml"), policy(true, true));
        broker = EmbeddedBroker.fromYaml("""
                listeners: [{name: tcp, type: tcp, port: 0}]
                storage: {type: memory}
                security: {policy: "%s", reloadCheckSeconds: 0}
                """.formatted(dir.resolve("policy.yaml")));
        broker.start();
        List<CompletableFuture<?>> ready = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String name = "c" + i;
            received.put(name, new CopyOnWriteArrayList<>());
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(name).serverHost(broker.host())
                    .serverPort(broker.port()).addDisconnectedListener(ctx -> {
                        if (ctx.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException e) {
                            disconnects.put(name, e.getMqttMessage());
                        } else if (ctx.getSource() != com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource.USER) {
                            disconnects.putIfAbsent(name, Mqtt5Disconnect.builder().reasonString("lost: "
                                    + ctx.getCause()).build());
                        }
                    }).buildAsync();
            clients.add(c);
            String fleet = i < RED ? "red" : "blue";
            ready.add(c.connectWith().simpleAuth().username(name).password(utf8("pw")).applySimpleAuth().send()
                    .thenCompose(ack -> c.subscribeWith().addSubscription().topicFilter("fleet/" + fleet)
                            .qos(MqttQos.AT_LEAST_ONCE).applySubscription().addSubscription().topicFilter("news")
                            .qos(MqttQos.AT_LEAST_ONCE).applySubscription().callback(p -> {
                                received.get(name).add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                                if (p.getTopic().toString().equals("fleet/blue")) {
                                    blueFleetDeliveries.incrementAndGet();
                                }
                            }).send()));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(broker.broker().metrics().clientsConnected.get()).isEqualTo(CLIENTS);
    }

    @AfterAll
    static void stop() {
        for (Mqtt5AsyncClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        if (broker != null) {
            broker.close();
        }
        EmbeddedBroker.deleteTree(dir);
    }

    static Mqtt5BlockingClient ops() {
        Mqtt5BlockingClient ops = MqttClient.builder().useMqttVersion5().identifier("ops-" + System.nanoTime())
                .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
        ops.connectWith().simpleAuth().username("ops").password(utf8("pw")).applySimpleAuth().send();
        return ops;
    }

    @Test
    void revokingAGroupStopsItsDeliveriesAtOnceAndDropsNoOtherConnection() throws Exception {
        Mqtt5BlockingClient ops = ops();
        try {
            ops.publishWith().topic("fleet/red").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("before")).send();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.entrySet().stream()
                    .filter(e -> number(e.getKey()) < RED).allMatch(e -> e.getValue().contains("before")));

            // Under load: QoS 1 messages to the blue fleet are on their way while the policy changes.
            int inFlight = 20;
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) {
                sends.add(ops.toAsync().publishWith().topic("fleet/blue").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(utf8("load-" + i)).send());
            }
            Files.writeString(dir.resolve("policy.yaml"), policy(false, false));
            AccessControl.ReloadResult result = broker.broker().reloadSecurity();
            assertThat(result.applied()).as(result.message()).isTrue();
            assertThat(result.message()).contains(CLIENTS + 1 + " connected clients decided again, 1 disconnected");

            // From the moment the reload returned, the red fleet receives nothing on its revoked
            // subscription: its next message is the news marker published after.
            ops.publishWith().topic("fleet/red").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("after")).send();
            ops.publishWith().topic("news").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("marker")).send();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.entrySet().stream()
                    .filter(e -> !e.getKey().equals(DISABLED)).allMatch(e -> e.getValue().contains("marker")));
            for (int i = 0; i < RED; i++) {
                assertThat(received.get("c" + i)).as("c" + i).doesNotContain("after");
            }
            // The disabled client was told why; every other connection stayed up.
            await().atMost(Duration.ofSeconds(30)).until(() -> disconnects.containsKey(DISABLED));
            assertThat(disconnects.get(DISABLED).getReasonCode().getCode()).isEqualTo(0x87);
            assertThat(disconnects.get(DISABLED).getReasonString().orElseThrow().toString())
                    .contains("client '" + DISABLED + "' is disabled");
            assertThat(disconnects.keySet()).containsExactly(DISABLED);
            // The blue fleet lost nothing of what was in flight during the reload.
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            int blue = CLIENTS - RED - 1; // the disabled client is blue
            await().atMost(Duration.ofSeconds(60)).until(() -> blueFleetDeliveries.get() >= blue * inFlight);
            for (int i = RED; i < CLIENTS - 1; i++) {
                assertThat(received.get("c" + i).stream().filter(m -> m.startsWith("load-")).count()).as("c" + i)
                        .isEqualTo(inFlight);
            }
        } finally {
            ops.disconnect();
        }
    }

    @Test
    void anInvalidPolicyLeavesTheOneInForce() throws Exception {
        Path file = dir.resolve("policy.yaml");
        String inForce = Files.readString(file);
        Files.writeString(file, inForce + "  - {name: broken, clientGroupName: nobody, topicSpaceName: news,"
                + " permission: subscriber}\n");
        AccessControl.ReloadResult result = broker.broker().reloadSecurity();
        assertThat(result.applied()).isFalse();
        assertThat(result.message()).contains(file.toString()).contains("no client group 'nobody'")
                .contains("the one in force stays");
        Mqtt5BlockingClient ops = ops();
        try {
            ops.publishWith().topic("news").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("still")).send();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.entrySet().stream()
                    .filter(e -> !e.getKey().equals(DISABLED)).allMatch(e -> e.getValue().contains("still")));
        } finally {
            ops.disconnect();
            Files.writeString(file, inForce);
        }
    }

    static int number(String name) {
        return Integer.parseInt(name.substring(1));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
