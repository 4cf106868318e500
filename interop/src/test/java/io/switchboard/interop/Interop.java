package io.switchboard.interop;

import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers shared by the interop tests: unique names and waiting on the broker's state. */
final class Interop {
    /** How long any single wait may take before the test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Interop() {
    }

    /** A name no other test (or earlier run against the same broker) uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** How many subscriptions held by the broker match a topic name. */
    static int subscriptionsMatching(EmbeddedBroker broker, String topic) {
        AtomicInteger n = new AtomicInteger();
        broker.broker().subscriptions().match(topic, s -> n.incrementAndGet(), g -> n.incrementAndGet());
        return n.get();
    }

    /** Waits until at least {@code n} subscriptions match the topic (for clients that do not report SUBACK). */
    static void awaitSubscribers(EmbeddedBroker broker, String topic, int n) {
        await().atMost(TIMEOUT).until(() -> subscriptionsMatching(broker, topic) >= n);
    }

    /** Waits until no subscription matches the topic any more. */
    static void awaitNoSubscribers(EmbeddedBroker broker, String topic) {
        await().atMost(TIMEOUT).until(() -> subscriptionsMatching(broker, topic) == 0);
    }
}
