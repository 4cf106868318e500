package io.switchboard.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bucket rule (Prometheus' "less or equal"), the fast bucket search, snapshots. */
class BucketHistogramTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    @Test
    void latencyBucketsAreTheDocumentedBoundsThenInfinity() {
        assertThat(new LatencyHistogram().bounds()).containsExactly(50 * US, 100 * US, 250 * US, 500 * US,
                MS, 2_500 * US, 5 * MS, 10 * MS, 25 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS,
                1_000 * MS, 2_500 * MS, 5_000 * MS, 10_000 * MS, 30_000 * MS, 60_000 * MS);
        assertThat(new LatencyHistogram().snapshot().counts()).hasSize(20);
    }

    @Test
    void sizeBucketsArePowersOfTwoUpTo1024ThenInfinity() {
        assertThat(new SizeHistogram().bounds()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024);
        assertThat(new SizeHistogram().snapshot().counts()).hasSize(12);
    }

    @Test
    void aValueAtABoundCountsInThatBucketAndOneAboveInTheNext() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(50 * US);
        h.record(50 * US + 1);
        h.record(MS);
        h.record(MS + 1);
        h.record(60_000 * MS);
        h.record(60_000 * MS + 1);
        BucketHistogram.Snapshot s = h.snapshot();
        assertThat(s.countAt(50 * US)).isEqualTo(1);
        assertThat(s.countAt(100 * US)).isEqualTo(1);
        assertThat(s.countAt(MS)).isEqualTo(1);
        assertThat(s.countAt(2_500 * US)).isEqualTo(1);
        assertThat(s.countAt(60_000 * MS)).isEqualTo(1);
        assertThat(s.countAt(Long.MAX_VALUE)).isEqualTo(1);
        assertThat(s.count()).isEqualTo(6);
        assertThat(s.sum()).isEqualTo(2 * (50 * US + MS + 60_000 * MS) + 3);
    }

    @Test
    void zeroAndNegativeValuesCountInTheFirstBucketAsZero() {
        SizeHistogram h = new SizeHistogram();
        h.record(0);
        h.record(-5);
        h.record(Long.MAX_VALUE);
        BucketHistogram.Snapshot s = h.snapshot();
        assertThat(s.countAt(1)).isEqualTo(2);
        assertThat(s.countAt(Long.MAX_VALUE)).isEqualTo(1);
        assertThat(s.sum()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sizesFallInTheirPowerOfTwo() {
        SizeHistogram h = new SizeHistogram();
        for (long v : new long[] {1, 2, 3, 4, 5, 8, 9, 1024, 1025}) {
            h.record(v);
        }
        BucketHistogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(1, 1, 2, 2, 1, 0, 0, 0, 0, 0, 1, 1);
        assertThat(s.cumulativeCounts()).containsExactly(1, 2, 4, 6, 7, 7, 7, 7, 7, 7, 8, 9);
        assertThat(s.count()).isEqualTo(9);
        assertThat(s.sum()).isEqualTo(1 + 2 + 3 + 4 + 5 + 8 + 9 + 1024 + 1025);
    }

    /** The table-driven search against a plain scan, at every bound, next to it, and at random. */
    @Test
    void fastSearchAgreesWithALinearScan() {
        List<Long> values = new ArrayList<>();
        for (BucketHistogram h : List.of(new LatencyHistogram(), new SizeHistogram())) {
            for (long b : h.bounds()) {
                values.add(b - 1);
                values.add(b);
                values.add(b + 1);
            }
        }
        for (int bit = 0; bit < 63; bit++) {
            values.add(1L << bit);
            values.add((1L << bit) - 1);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextLong(0, 1L << random.nextInt(1, 63)));
        }
        for (BucketHistogram h : List.of(new LatencyHistogram(), new SizeHistogram())) {
            long[] bounds = h.bounds();
            long[] expected = new long[bounds.length + 1];
            for (long v : values) {
                int i = 0;
                while (i < bounds.length && v > bounds[i]) {
                    i++;
                }
                expected[i]++;
                h.record(v);
            }
            assertThat(h.snapshot().counts()).as(h.getClass().getSimpleName()).containsExactly(expected);
        }
    }

    @Test
    void recordsFromManyThreadsAreAllCounted() throws InterruptedException {
        LatencyHistogram h = new LatencyHistogram();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    h.record(i * US);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        BucketHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(40_000);
        assertThat(s.sum()).isEqualTo(4 * US * (10_000L * 9_999 / 2));
        assertThat(s.cumulativeCounts()[s.counts().length - 1]).isEqualTo(40_000);
    }
}
