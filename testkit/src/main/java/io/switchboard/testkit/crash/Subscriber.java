package io.switchboard.testkit.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A client with a persistent session subscribed to every publisher's topic ({@code crash/#}) at one
 * QoS. It counts, per message, how many times the library handed it over (the library acknowledges
 * it after that). <em>Steady</em> subscribers are connected throughout, reconnecting on their own
 * after each kill; <em>intermittent</em> ones go offline (DISCONNECT, the session kept) for one or
 * two cycles at a time, so that their messages wait in the broker's queue across kills.
 *
 * <p>Thread confinement: the library's threads record receipts; the crash test's thread reads and
 * decides when it goes offline ({@link #online}, {@link #returnCycle}). Receipts are guarded by {@code this}.
 */
final class Subscriber {
    /** Receipts listed at most, in the report, of each kind of anomaly. */
    static final int MAX_LISTED = 20;

    final String name;
    final int qos;
    final boolean intermittent;
    final CrashClient client;
    private final int[] publisherQos;
    private final IntSupplier cycle;

    // Guarded by this.
    private final int[][] counts;
    private final int[][] firstCycle;
    private final int[][] lastCycle;
    private long receipts;
    private long lastReceiptNanos = System.nanoTime();
    private final List<String> anomalies = new ArrayList<>();
    private int anomalyCount;

    // The crash test's thread only.
    boolean online;
    int returnCycle;
    int offlineCycles;

    Subscriber(String name, int qos, boolean intermittent, CrashClient client, int[] publisherQos, IntSupplier cycle) {
        this.name = name;
        this.qos = qos;
        this.intermittent = intermittent;
        this.client = client;
        this.publisherQos = publisherQos.clone();
        this.cycle = cycle;
        this.counts = new int[publisherQos.length][1024];
        this.firstCycle = new int[publisherQos.length][1024];
        this.lastCycle = new int[publisherQos.length][1024];
        client.onMessage(this::received);
    }

    private synchronized void received(byte[] payload, int deliveredQos) {
        receipts++;
        lastReceiptNanos = System.nanoTime();
        int[] id = Publisher.parse(payload);
        if (id == null || id[0] < 0 || id[0] >= counts.length || id[1] < 0) {
            anomaly("a message that is not the crash test's: " + new String(payload, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        int p = id[0];
        int seq = id[1];
        int expectedQos = Math.min(publisherQos[p], qos);
        if (deliveredQos != expectedQos) {
            // [MQTT-3.8.4-8] delivered at the lower of the published QoS and the subscription's.
            anomaly("message " + p + ":" + seq + " delivered at QoS " + deliveredQos + ", expected " + expectedQos);
        }
        if (seq >= counts[p].length) {
            int size = Math.max(seq + 1, counts[p].length * 2);
            counts[p] = Arrays.copyOf(counts[p], size);
            firstCycle[p] = Arrays.copyOf(firstCycle[p], size);
            lastCycle[p] = Arrays.copyOf(lastCycle[p], size);
        }
        int now = cycle.getAsInt();
        if (counts[p][seq]++ == 0) {
            firstCycle[p][seq] = now;
        }
        lastCycle[p][seq] = now;
    }

    private void anomaly(String what) {
        anomalyCount++;
        if (anomalies.size() < MAX_LISTED) {
            anomalies.add(name + ": " + what);
        }
    }

    /** Times message {@code seq} of publisher {@code p} was received. */
    synchronized int count(int p, int seq) {
        return seq < counts[p].length ? counts[p][seq] : 0;
    }

    /** The cycle in which message {@code seq} of publisher {@code p} was first received. */
    synchronized int firstCycle(int p, int seq) {
        return seq < firstCycle[p].length ? firstCycle[p][seq] : 0;
    }

    /** The cycle in which message {@code seq} of publisher {@code p} was last received. */
    synchronized int lastCycle(int p, int seq) {
        return seq < lastCycle[p].length ? lastCycle[p][seq] : 0;
    }

    synchronized long receipts() {
        return receipts;
    }

    synchronized long nanosSinceLastReceipt() {
        return System.nanoTime() - lastReceiptNanos;
    }

    synchronized List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    synchronized int anomalyCount() {
        return anomalyCount;
    }

    String mode() {
        return intermittent ? "intermittent" : "steady";
    }
}
