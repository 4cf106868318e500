package io.switchboard.broker.metrics;

/**
 * Counts (how many batches one group commit wrote, for example) over the buckets 1, 2, 4 ... 1024
 * (then +Inf): a power of two is found in one comparison. See {@link BucketHistogram}.
 */
public final class SizeHistogram extends BucketHistogram {
    /** The upper bounds: 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024 (then +Inf). */
    private static final long[] BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    public SizeHistogram() {
        super(BOUNDS);
    }
}
