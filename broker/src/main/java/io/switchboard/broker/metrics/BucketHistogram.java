package io.switchboard.broker.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram over fixed buckets, as Prometheus exposes one: bucket {@code i} counts the values
 * {@code v} with {@code bounds[i-1] < v <= bounds[i]}, and one last bucket the values above the
 * highest bound (+Inf). An adder per bucket and one for the sum of the values: {@link #record} takes
 * no lock, allocates nothing, and finds the bucket in one or two comparisons (a table indexed by the
 * value's bit length says where to start), from any thread.
 *
 * <p>{@link #snapshot()} reads the adders one after the other while values may still be recorded:
 * a snapshot is consistent in itself (its count is the sum of its buckets) but its sum may include
 * a value whose bucket it did not see yet, or the reverse. Fine for monitoring.
 */
public abstract sealed class BucketHistogram permits LatencyHistogram, SizeHistogram {
    private final long[] bounds;
    /** Per bucket, the last one for the values above every bound. */
    private final LongAdder[] buckets;
    private final LongAdder sum = new LongAdder();
    /**
     * For a value of bit length {@code n} (64 - leading zeros; 0 for 0), the first bucket that can
     * hold it: the first whose bound is at least {@code 2^(n-1)}, the smallest value of that length.
     */
    private final int[] firstBucketByLength = new int[65];

    BucketHistogram(long... bounds) {
        for (int i = 0; i < bounds.length; i++) {
            if (bounds[i] <= 0 || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be positive and increasing: "
                        + Arrays.toString(bounds));
            }
        }
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
        for (int length = 0; length <= 64; length++) {
            long smallest = length == 0 ? 0 : 1L << (length - 1); // length 64: Long.MIN_VALUE, never a value
            int i = 0;
            while (i < bounds.length && bounds[i] < smallest) {
                i++;
            }
            firstBucketByLength[length] = length == 64 ? bounds.length : i;
        }
    }

    /** Counts one value (negative values count as 0). Any thread. */
    public final void record(long value) {
        long v = Math.max(0, value);
        int i = firstBucketByLength[64 - Long.numberOfLeadingZeros(v)];
        long[] b = bounds;
        while (i < b.length && v > b[i]) {
            i++;
        }
        buckets[i].increment();
        sum.add(v);
    }

    /** The upper bounds of the buckets but the last (+Inf), in increasing order. */
    public final long[] bounds() {
        return bounds.clone();
    }

    /** The counts and sum now (see the class comment about values recorded meanwhile). */
    public final Snapshot snapshot() {
        long[] counts = new long[buckets.length];
        long count = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
            count += counts[i];
        }
        return new Snapshot(bounds.clone(), counts, count, sum.sum());
    }

    /**
     * A histogram's state at one time.
     *
     * @param bounds the upper bounds of the buckets but the last, increasing (nanoseconds for a
     *     {@link LatencyHistogram})
     * @param counts per bucket, <b>not</b> cumulative: {@code counts[i]} for the values in
     *     ({@code bounds[i-1]}, {@code bounds[i]}], and {@code counts[bounds.length]} for those above
     *     the last bound (+Inf); {@link #cumulativeCounts()} gives Prometheus' "less or equal" form
     * @param count the number of values, the sum of {@code counts}
     * @param sum the sum of the values
     */
    public record Snapshot(long[] bounds, long[] counts, long count, long sum) {
        /** Per bucket, the number of values at most its bound (the last: {@code count}), as Prometheus' {@code le}. */
        public long[] cumulativeCounts() {
            long[] out = new long[counts.length];
            long running = 0;
            for (int i = 0; i < counts.length; i++) {
                running += counts[i];
                out[i] = running;
            }
            return out;
        }

        /** The count of the bucket whose upper bound is {@code bound} (not cumulative); {@code Long.MAX_VALUE} for +Inf. */
        public long countAt(long bound) {
            if (bound == Long.MAX_VALUE) {
                return counts[bounds.length];
            }
            int i = Arrays.binarySearch(bounds, bound);
            if (i < 0) {
                throw new IllegalArgumentException("no bucket with bound " + bound + ": " + Arrays.toString(bounds));
            }
            return counts[i];
        }

        @Override
        public String toString() {
            return "Snapshot[bounds=" + Arrays.toString(bounds) + ", counts=" + Arrays.toString(counts) + ", count="
                    + count + ", sum=" + sum + "]";
        }
    }
}
