package io.switchboard.conformance.fuzz;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.UserProperty;
import io.switchboard.testkit.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Well-behaved clients exchanging numbered QoS 1 messages while the fuzzers run: a 5.0 and a 3.1.1
 * publisher, each on its own topic, send 1, 2, 3, ... (the number is the payload), each after the
 * PUBACK of the one before; a 5.0 and a 3.1.1 subscriber, at QoS 1 on both topics, acknowledge every
 * PUBLISH and check that on each topic every number arrives exactly once and in order
 * ([MQTT-4.6.0-5]: ordered per topic for QoS 1 without resends). When told to stop, each publisher
 * sends an end message carrying its last number, so a subscriber knows it has everything.
 *
 * <p>The topics have a random suffix: no fuzz packet can publish or subscribe on them by chance.
 */
final class NumberedMessages implements AutoCloseable {
    private static final int KEPT = 20;
    private static final String END = "end:";
    private static final int SUBSCRIPTION_ID = 7;
    /**
     * Messages a publisher may be ahead of the slower subscriber. MQTT has no flow control from
     * subscriber to publisher: without this window a subscriber starved of CPU on a loaded machine
     * falls more than {@code mqtt.maxInflight} + {@code sessions.maxQueuedMessages} messages behind,
     * and the broker drops the newest, as configured (seen in this test before the window). Both
     * publishers together stay within the broker's in-flight window towards each subscriber.
     */
    private static final int WINDOW = 32;

    private final String root;
    private final long minimum;
    private final List<RawClient> clients = new ArrayList<>();
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done = new CountDownLatch(4);
    /** Guards nothing: publishers wait on it for the subscribers' progress ({@link #received}). */
    private final Object progress = new Object();
    private volatile boolean stopping;

    private NumberedMessages(String root, long minimum) {
        this.root = root;
        this.minimum = minimum;
    }

    /** Connects and subscribes the subscribers, then starts the publishers; each publishes at least {@code minimum}. */
    static NumberedMessages start(int port, String root, long minimum) {
        NumberedMessages m = new NumberedMessages(root, minimum);
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            RawClient sub = m.connect(port, v, "sub");
            Properties props = v.isV5() ? Properties.builder().subscriptionIdentifier(SUBSCRIPTION_ID).build()
                    : Properties.EMPTY;
            sub.send(new SubscribePacket(1, List.of(new TopicSubscription(root + "/#", 1)), props));
            List<ReasonCode> granted = sub.expect(SubackPacket.class).reasonCodes();
            if (!granted.equals(List.of(ReasonCode.GRANTED_QOS_1))) {
                throw new AssertionError("SUBACK of the " + v + " subscriber: " + granted);
            }
            m.thread("sub-" + v, () -> m.subscribe(sub));
        }
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            RawClient pub = m.connect(port, v, "pub");
            m.thread("pub-" + v, () -> m.publish(pub, root + "/" + v));
        }
        return m;
    }

    private RawClient connect(int port, MqttVersion v, String role) {
        RawClient c = RawClient.connect(port, v, root.replace('/', '-') + "-" + role + "-" + v);
        clients.add(c);
        return c;
    }

    private void thread(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                fail(name + ": " + e.getMessage());
            } finally {
                done.countDown();
            }
        }, "numbered-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void publish(RawClient c, String topic) {
        long n = 0;
        while ((!stopping || n < minimum) && failures.isEmpty()) {
            awaitSubscribers(topic, n - WINDOW);
            n++;
            send(c, topic, Long.toString(n), n);
            published.put(topic, n);
        }
        send(c, topic, END + n, n + 1);
    }

    /** Waits until both subscribers have received message {@code n} of this topic (or something failed). */
    private void awaitSubscribers(String topic, long n) {
        synchronized (progress) {
            while (failures.isEmpty() && slowest(topic) < n) {
                try {
                    progress.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private long slowest(String topic) {
        long min = Long.MAX_VALUE;
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            min = Math.min(min, received.getOrDefault(topic + " @" + v + " subscriber", 0L));
        }
        return min;
    }

    private void send(RawClient c, String topic, String payload, long n) {
        int id = (int) (n % 65_535) + 1;
        Properties props = !c.version().isV5() ? Properties.EMPTY : Properties.builder()
                .userProperty("n", payload).responseTopic(root + "/reply").contentType("text/plain")
                .correlationData(payload.getBytes(StandardCharsets.UTF_8)).payloadFormatIndicator(1).build();
        c.send(new PublishPacket(topic, 1, false, false, id, props, Payload.utf8(payload)));
        PubackPacket ack = c.expect(PubackPacket.class);
        if (ack.packetId() != id || ack.reasonCode() != ReasonCode.SUCCESS) {
            fail("PUBACK for " + topic + " #" + n + " (packet id " + id + "): " + ack);
        }
    }

    private void subscribe(RawClient c) {
        Map<String, Long> last = new ConcurrentHashMap<>();
        int ended = 0;
        String who = c.version() + " subscriber";
        while (ended < 2) {
            PublishPacket p = c.expect(PublishPacket.class);
            c.send(new PubackPacket(p.packetId()));
            String payload = p.payload().toUtf8String();
            long before = last.getOrDefault(p.topic(), 0L);
            if (p.qos() != 1 || p.dup() || !p.topic().startsWith(root + "/")) {
                fail(who + ": unexpected " + p + " with payload " + payload);
            }
            if (c.version().isV5() && !p.properties().subscriptionIdentifiers().equals(List.of(SUBSCRIPTION_ID))) {
                fail(who + ": subscription identifiers " + p.properties().subscriptionIdentifiers() + " on #"
                        + payload);
            }
            if (c.version().isV5() && p.topic().endsWith("/" + MqttVersion.V5)
                    && !p.properties().userProperties().equals(List.of(new UserProperty("n", payload)))) {
                fail(who + ": user properties " + p.properties().userProperties() + " on #" + payload);
            }
            if (payload.startsWith(END)) {
                long count = Long.parseLong(payload.substring(END.length()));
                if (count != before) {
                    fail(who + ", " + p.topic() + ": the publisher sent " + count + " messages, " + before
                            + " arrived in order");
                }
                received.merge(p.topic() + " @" + who, before, Math::max);
                ended++;
                continue;
            }
            long n = Long.parseLong(payload);
            if (n != before + 1) {
                fail(who + ", " + p.topic() + ": after #" + before + " came #" + n
                        + (n <= before ? " (duplicated or reordered)" : " (lost " + (n - before - 1) + ")"));
            }
            last.put(p.topic(), Math.max(before, n));
            received.put(p.topic() + " @" + who, Math.max(before, n));
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void fail(String message) {
        if (failures.size() < KEPT) {
            failures.add(message);
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Asks the publishers to stop once they have sent their minimum; they then send their end message. */
    void stopPublishing() {
        stopping = true;
    }

    /** True when every publisher has sent its end message and every subscriber has received both. */
    boolean finished() {
        return done.getCount() == 0;
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Messages published per topic. */
    Map<String, Long> published() {
        return Map.copyOf(published);
    }

    /** Highest number received in order, per topic and subscriber. */
    Map<String, Long> received() {
        return Map.copyOf(received);
    }

    /** The well-behaved connections still open (they count in the broker's connection metrics). */
    int connections() {
        return clients.size();
    }

    @Override
    public void close() {
        for (RawClient c : clients) {
            try {
                c.send(DisconnectPacket.NORMAL);
            } catch (AssertionError e) {
                // already closed: a failure the test has reported
            }
            c.close();
        }
    }
}
