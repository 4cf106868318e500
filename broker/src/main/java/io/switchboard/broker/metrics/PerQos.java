package io.switchboard.broker.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A counter per QoS (0, 1, 2): an adder each, so that event loops counting different QoS, or the
 * same one, never contend. Updated from any thread; read by whoever exports the metrics.
 */
public final class PerQos {
    private final LongAdder[] byQos = {new LongAdder(), new LongAdder(), new LongAdder()};

    /** Adds one at {@code qos} (0, 1 or 2). */
    public void increment(int qos) {
        byQos[qos].increment();
    }

    /** Adds {@code n} at {@code qos} (0, 1 or 2). */
    public void add(int qos, long n) {
        byQos[qos].add(n);
    }

    /** The count at {@code qos} (0, 1 or 2). */
    public long sum(int qos) {
        return byQos[qos].sum();
    }

    /** The count over every QoS. */
    public long total() {
        return byQos[0].sum() + byQos[1].sum() + byQos[2].sum();
    }

    /** As {@code [QoS 0, QoS 1, QoS 2]}. */
    @Override
    public String toString() {
        return "[" + sum(0) + ", " + sum(1) + ", " + sum(2) + "]";
    }
}
