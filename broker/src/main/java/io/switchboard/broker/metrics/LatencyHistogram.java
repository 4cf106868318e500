package io.switchboard.broker.metrics;

import java.util.concurrent.TimeUnit;

/**
 * Durations in nanoseconds over fixed buckets from 50 µs to 60 s (then +Inf): fine where a broker
 * spends its time (tens of microseconds to milliseconds), coarse up to the minute a message may wait
 * for a subscriber. See {@link BucketHistogram} for the bucket rule and snapshots.
 */
public final class LatencyHistogram extends BucketHistogram {
    /** The upper bounds in nanoseconds: 50 µs, 100 µs, 250 µs, 500 µs, 1 ms ... 10 s, 30 s, 60 s (then +Inf). */
    private static final long[] BOUNDS_NANOS = {
        us(50), us(100), us(250), us(500),
        ms(1), us(2_500), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
        ms(1_000), ms(2_500), ms(5_000), ms(10_000), ms(30_000), ms(60_000),
    };

    public LatencyHistogram() {
        super(BOUNDS_NANOS);
    }

    private static long us(long micros) {
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
