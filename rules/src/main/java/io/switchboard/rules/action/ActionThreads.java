package io.switchboard.rules.action;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code prefix-N}, N counted per prefix across every action of the JVM. */
final class ActionThreads implements ThreadFactory {
    private static final AtomicInteger HTTP = new AtomicInteger();
    private static final AtomicInteger HTTP_RETRY = new AtomicInteger();
    private static final AtomicInteger FILE = new AtomicInteger();

    private final String prefix;
    private final AtomicInteger counter;

    private ActionThreads(String prefix, AtomicInteger counter) {
        this.prefix = prefix;
        this.counter = counter;
    }

    /** {@code sb-rule-http-N}: the HTTP client's executor, a fork-join pool (its workers are daemons). */
    static ForkJoinPool.ForkJoinWorkerThreadFactory httpPool() {
        return pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("sb-rule-http-" + HTTP.incrementAndGet());
            return t;
        };
    }

    /** {@code sb-rule-http-retry-N}: back-off waits and timeouts. */
    static ActionThreads httpRetry() {
        return new ActionThreads("sb-rule-http-retry-", HTTP_RETRY);
    }

    /** {@code sb-rule-file-N}: a file action's writer. */
    static ActionThreads file() {
        return new ActionThreads("sb-rule-file-", FILE);
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + counter.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
