package io.switchboard.bench;

import io.switchboard.broker.routing.SharedGroup;
import io.switchboard.broker.routing.Subscription;
import io.switchboard.broker.routing.SubscriptionTree;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Matching one topic name against a {@link SubscriptionTree} of 100,000 subscriptions, as the router
 * does for every PUBLISH. The mix is a device fleet's:
 *
 * <ul>
 *   <li>95,000 exact filters, one per device: {@code devices/dev-N/cmd};
 *   <li>3,990 single-level wildcards from 3 dashboards watching devices 0 to 1,329:
 *       {@code devices/dev-N/+}, and 10 alarm services on {@code devices/+/alarm};
 *   <li>1,000 multi-level wildcards from 2 loggers recording devices 0 to 499: {@code devices/dev-N/#}.
 * </ul>
 *
 * <p>{@code matchOne} matches {@code devices/dev-50000/cmd}: 1 subscription (the device's own).
 * {@code matchSeveral} matches {@code devices/dev-42/cmd}: 6 (the device, 3 dashboards, 2 loggers).
 * Both walk the {@code devices/+} branch as well. The set-up checks the tree's size and both counts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SubscriptionMatchBenchmark {
    static final int DEVICES = 95_000;
    static final int DASHBOARDS = 3;
    static final int DASHBOARD_DEVICES = 1_330;
    static final int ALARM_SERVICES = 10;
    static final int LOGGERS = 2;
    static final int LOGGED_DEVICES = 500;
    static final int SUBSCRIPTIONS = DEVICES + DASHBOARDS * DASHBOARD_DEVICES + ALARM_SERVICES
            + LOGGERS * LOGGED_DEVICES;

    static final String ONE_TOPIC = "devices/dev-50000/cmd";
    static final int ONE_MATCHES = 1;
    static final String SEVERAL_TOPIC = "devices/dev-42/cmd";
    static final int SEVERAL_MATCHES = 1 + DASHBOARDS + LOGGERS;

    /** The mix has no shared subscriptions ({@code $share/...}). */
    private static final Consumer<SharedGroup> NO_SHARED_GROUPS = group -> {
        throw new IllegalStateException("no shared group expected, matched " + group);
    };

    private SubscriptionTree tree;
    private final Counter counter = new Counter();

    @Setup
    public void setUp() {
        tree = new SubscriptionTree();
        for (int d = 0; d < DEVICES; d++) {
            tree.add(subscription("dev-" + d, "devices/dev-" + d + "/cmd", 1));
        }
        for (int b = 0; b < DASHBOARDS; b++) {
            for (int d = 0; d < DASHBOARD_DEVICES; d++) {
                tree.add(subscription("dashboard-" + b, "devices/dev-" + d + "/+", 0));
            }
        }
        for (int a = 0; a < ALARM_SERVICES; a++) {
            tree.add(subscription("alarms-" + a, "devices/+/alarm", 1));
        }
        for (int l = 0; l < LOGGERS; l++) {
            for (int d = 0; d < LOGGED_DEVICES; d++) {
                tree.add(subscription("logger-" + l, "devices/dev-" + d + "/#", 0));
            }
        }
        check(tree.size(), SUBSCRIPTIONS, "subscriptions in the tree");
        check(matchOne(), ONE_MATCHES, "matches for " + ONE_TOPIC);
        check(matchSeveral(), SEVERAL_MATCHES, "matches for " + SEVERAL_TOPIC);
        // Settle the heap the set-up filled, so no collection of it (on 2 cores, G1's concurrent
        // marking takes one) overlaps the measurement.
        System.gc();
    }

    private static void check(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException(actual + " " + what + ", expected " + expected);
        }
    }

    @Benchmark
    public int matchOne() {
        return match(ONE_TOPIC);
    }

    @Benchmark
    public int matchSeveral() {
        return match(SEVERAL_TOPIC);
    }

    private int match(String topic) {
        counter.reset();
        tree.match(topic, counter, NO_SHARED_GROUPS);
        return counter.result();
    }

    /** The one place a benchmark builds a {@link Subscription}. */
    private static Subscription subscription(String clientId, String filter, int qos) {
        return new Subscription(clientId, filter, qos, false, false, 0, 0);
    }

    /** Counts the matches: the least a consumer of {@link SubscriptionTree#match} can do. */
    private static final class Counter implements Consumer<Subscription> {
        private int count;

        @Override
        public void accept(Subscription s) {
            count++;
        }

        void reset() {
            count = 0;
        }

        int result() {
            return count;
        }
    }
}
