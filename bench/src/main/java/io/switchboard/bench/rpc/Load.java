package io.switchboard.bench.rpc;

import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.Reply;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.RpcException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The calls of one phase: {@code concurrency} calls kept in flight on one caller, each completion
 * issuing the next, until {@code nanos} have passed or {@code maxCalls} calls have completed,
 * whichever comes first. At concurrency 1 a plain loop of blocking calls ({@link RpcClient#callBlocking}),
 * as an application asking one thing at a time writes it; above, asynchronous calls
 * ({@link RpcClient#call}) whose completions issue the next. The round trip of each call, from just
 * before calling to its reply, goes into a preallocated array; the percentiles come from it sorted.
 */
final class Load {
    /** Failed calls after which a phase stops issuing new ones: a broken phase ends by itself. */
    private static final int MAX_ERRORS = 100;
    /** How long the calls still in flight at the end may take: the default call timeout, and a margin. */
    private static final long DRAIN_SECONDS = 15;

    private final RpcClient caller;
    private final String topic;
    private final byte[] payload;
    private final CallOptions options = CallOptions.defaults();
    /** Round trips in nanoseconds, reused by every phase: room for the most calls a phase may make. */
    private final long[] latencies;
    private final int capacity;

    Load(RpcClient caller, String topic, byte[] payload, int maxCalls, int maxConcurrency) {
        this.caller = caller;
        this.topic = topic;
        this.payload = payload;
        this.capacity = maxCalls;
        this.latencies = new long[maxCalls + maxConcurrency];
    }

    /** What a phase measured; latencies in microseconds. */
    record Result(int concurrency, long calls, long errors, String firstError, double seconds, double perSecond,
            double p50Us, double p99Us, double p999Us, double maxUs, long unfinished) {
    }

    /** A phase of at most {@code nanos} and {@code maxCalls} (and the capacity given at construction). */
    Result run(int concurrency, long nanos, int maxCalls) throws InterruptedException {
        int calls = Math.min(maxCalls, capacity);
        return concurrency == 1 ? sequential(nanos, calls) : pipelined(concurrency, nanos, calls);
    }

    private Result sequential(long nanos, int maxCalls) {
        long start = System.nanoTime();
        long end = start + nanos;
        int n = 0;
        long errors = 0;
        String firstError = null;
        while (n < maxCalls && errors <= MAX_ERRORS && System.nanoTime() < end) {
            long sent = System.nanoTime();
            try {
                Reply r = caller.callBlocking(topic, payload, options);
                long rtt = System.nanoTime() - sent;
                String wrong = check(r);
                if (wrong == null) {
                    latencies[n++] = rtt;
                } else {
                    errors++;
                    firstError = firstError == null ? wrong : firstError;
                }
            } catch (RpcException e) {
                errors++;
                firstError = firstError == null ? e.toString() : firstError;
            }
        }
        return result(1, n, errors, firstError, System.nanoTime() - start, 0);
    }

    private Result pipelined(int concurrency, long nanos, int maxCalls) throws InterruptedException {
        Pipeline p = new Pipeline(concurrency, maxCalls);
        p.start = System.nanoTime();
        p.end = p.start + nanos;
        for (int i = 0; i < concurrency; i++) {
            p.issue();
        }
        boolean drained = p.done.await(TimeUnit.NANOSECONDS.toSeconds(nanos) + DRAIN_SECONDS, TimeUnit.SECONDS);
        int n = Math.min(p.recorded.get(), latencies.length);
        long unfinished = drained ? 0 : p.outstanding.get();
        String first = p.firstError.get() == null ? null : p.firstError.get().toString();
        return result(concurrency, n, p.errors.get(), first, p.last.get() - p.start, unfinished);
    }

    /** Null when the reply is the echo expected, else what is wrong with it. */
    private String check(Reply r) {
        if (r.isError()) {
            return "an error reply: " + r;
        }
        int length = r.payload().length;
        return length == payload.length ? null : "a reply of " + length + " bytes, not " + payload.length;
    }

    private Result result(int concurrency, int n, long errors, String firstError, long elapsedNanos, long unfinished) {
        Arrays.sort(latencies, 0, n);
        double seconds = elapsedNanos / 1e9;
        return new Result(concurrency, n, errors, firstError, seconds, seconds > 0 ? n / seconds : 0, percentile(n, 0.50),
                percentile(n, 0.99), percentile(n, 0.999), n == 0 ? Double.NaN : latencies[n - 1] / 1e3, unfinished);
    }

    /** The nearest-rank percentile of the first n (sorted) latencies, in microseconds. */
    private double percentile(int n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * n);
        return latencies[Math.max(0, Math.min(n - 1, rank - 1))] / 1e3;
    }

    /** The state of a pipelined phase, touched by the client's threads that complete the calls. */
    private final class Pipeline {
        final int maxCalls;
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicLong errors = new AtomicLong();
        final AtomicInteger outstanding;
        final AtomicLong last = new AtomicLong();
        final AtomicReference<Object> firstError = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        volatile long start;
        volatile long end;

        Pipeline(int concurrency, int maxCalls) {
            this.maxCalls = maxCalls;
            this.outstanding = new AtomicInteger(concurrency);
        }

        void issue() {
            long sent = System.nanoTime();
            caller.call(topic, payload, options).whenComplete((reply, error) -> completed(sent, reply, error));
        }

        void completed(long sent, Reply reply, Throwable error) {
            long now = System.nanoTime();
            String wrong = error != null ? error.toString() : check(reply);
            if (wrong == null) {
                int i = recorded.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = now - sent;
                }
            } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, wrong);
            }
            last.accumulateAndGet(now, Math::max);
            if (now < end && recorded.get() < maxCalls && errors.get() <= MAX_ERRORS) {
                issue();
            } else if (outstanding.decrementAndGet() == 0) {
                done.countDown();
            }
        }
    }
}
