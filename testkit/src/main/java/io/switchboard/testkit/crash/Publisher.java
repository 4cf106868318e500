package io.switchboard.testkit.crash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * A client publishing numbered messages at one QoS to its own topic, continuously, at most
 * {@code window} of them unanswered at a time (so while the broker is down it waits rather than
 * piling up). Each payload is {@code <publisher index>:<sequence>}, unique in the run. It records,
 * per message, whether it was acknowledged (PUBACK or PUBREC without an error code) and in which
 * cycle, or refused. Messages the library holds while the broker is down are its business: it
 * resends them, with their packet ids, when its session is resumed.
 *
 * <p>Thread confinement: one thread of its own publishes; the library's threads record the
 * answers; the crash test reads the ledger. The ledger is guarded by {@code this}.
 */
final class Publisher {
    final int index;
    final String name;
    final int qos;
    final CrashClient client;
    final String topic;
    private final Semaphore window;
    private final int windowSize;
    private final long intervalNanos;
    private final IntSupplier cycle;
    private final Thread thread;
    private volatile boolean running;

    // Guarded by this.
    private int sent;
    private final BitSet acknowledged = new BitSet();
    private final BitSet refused = new BitSet();
    private int[] sentInCycle = new int[1024];
    private int[] acknowledgedInCycle = new int[1024];
    private int noMatchingSubscribers;
    private final Map<String, Integer> refusals = new TreeMap<>();

    Publisher(int index, String name, int qos, CrashClient client, int window, int ratePerSecond, IntSupplier cycle) {
        this.index = index;
        this.name = name;
        this.qos = qos;
        this.client = client;
        this.topic = "crash/" + name;
        this.window = new Semaphore(window);
        this.windowSize = window;
        this.intervalNanos = ratePerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.cycle = cycle;
        this.thread = new Thread(this::run, "crash-" + name);
        this.thread.setDaemon(true);
    }

    static byte[] payload(int publisher, int sequence) {
        return (publisher + ":" + sequence).getBytes(StandardCharsets.US_ASCII);
    }

    /** {publisher index, sequence}, or null when the payload is not one of ours. */
    static int[] parse(byte[] payload) {
        String s = new String(payload, StandardCharsets.US_ASCII);
        int colon = s.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Stops publishing new messages; those sent are still answered (or not) as they will be. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            if (intervalNanos > 0) {
                // Pacing, not waiting for anything: the rate, without bursts after a stall.
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else if (wait < -TimeUnit.MILLISECONDS.toNanos(100)) {
                    next = System.nanoTime();
                }
            }
            try {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue; // all answers outstanding: the broker is down or busy
                }
            } catch (InterruptedException e) {
                return;
            }
            int seq;
            synchronized (this) {
                seq = sent++;
                sentInCycle = set(sentInCycle, seq, cycle.getAsInt());
            }
            try {
                client.publish(topic, qos, payload(index, seq)).whenComplete((matched, error) -> {
                    answered(seq, matched, error);
                    window.release();
                });
            } catch (RuntimeException e) {
                answered(seq, null, e);
                window.release();
            }
        }
    }

    private synchronized void answered(int seq, Boolean matched, Throwable error) {
        if (error == null) {
            acknowledged.set(seq);
            acknowledgedInCycle = set(acknowledgedInCycle, seq, cycle.getAsInt());
            if (!matched) {
                noMatchingSubscribers++;
            }
        } else {
            refused.set(seq);
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            refusals.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
        }
    }

    private static int[] set(int[] a, int i, int v) {
        if (i >= a.length) {
            a = Arrays.copyOf(a, Math.max(i + 1, a.length * 2));
        }
        a[i] = v;
        return a;
    }

    synchronized int sent() {
        return sent;
    }

    synchronized boolean acknowledged(int seq) {
        return acknowledged.get(seq);
    }

    synchronized int acknowledgedCount() {
        return acknowledged.cardinality();
    }

    synchronized int refusedCount() {
        return refused.cardinality();
    }

    /** Sent and not answered yet: in the library's hands (in flight, or waiting for the session to resume). */
    synchronized int outstanding() {
        return sent - acknowledged.cardinality() - refused.cardinality();
    }

    /** Whether every message sent has its answer, and the window is whole again. */
    boolean settled() {
        return outstanding() == 0 && window.availablePermits() == windowSize;
    }

    synchronized int noMatchingSubscribers() {
        return noMatchingSubscribers;
    }

    synchronized Map<String, Integer> refusals() {
        return new TreeMap<>(refusals);
    }

    synchronized int sentInCycle(int seq) {
        return sentInCycle[seq];
    }

    synchronized int acknowledgedInCycle(int seq) {
        return acknowledgedInCycle[seq];
    }

    /** {@code name:sequence}, as the report names a message. */
    String message(int seq) {
        return name + ":" + seq;
    }
}
