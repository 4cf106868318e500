package io.switchboard.admin.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.switchboard.broker.Broker;
import io.switchboard.broker.metrics.BrokerMetrics;
import io.switchboard.broker.metrics.BucketHistogram;
import io.switchboard.codec.ReasonCode;
import java.util.Map;

/**
 * The broker's families whose labels are known only as they occur (denials by action and reason
 * code) and its histograms, which the broker counts in fixed buckets of its own: written straight
 * into the Prometheus model, as Micrometer meters cannot take counts made elsewhere.
 */
final class BrokerCollector implements MultiCollector {
    private final Broker broker;

    BrokerCollector(Broker broker) {
        this.broker = broker;
    }

    @Override
    public MetricSnapshots collect() {
        BrokerMetrics m = broker.metrics();
        CounterSnapshot.Builder denials = CounterSnapshot.builder().name("switchboard_authorization_denials")
                .help("Accesses the authorizer or authenticator denied, by action (connect, publish, subscribe,"
                        + " receive, revoked) and reason code");
        for (Map.Entry<BrokerMetrics.Denial, Long> e : m.denials().entrySet()) {
            denials.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("action", e.getKey().action(), "code", code(e.getKey().reasonCode()),
                            "reason", reasonName(e.getKey().reasonCode())))
                    .value(e.getValue()).build());
        }
        CounterSnapshot.Builder refused = CounterSnapshot.builder().name("switchboard_connections_refused")
                .help("CONNACKs refusing a connection, by reason code (3.1.1 return codes as their 5.0 reason codes)");
        for (Map.Entry<Integer, Long> e : m.connectionsRefused().entrySet()) {
            refused.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("code", code(e.getKey()), "reason", reasonName(e.getKey())))
                    .value(e.getValue()).build());
        }
        return MetricSnapshots.of(denials.build(), refused.build(),
                histogram("switchboard_publish_delivery_latency_seconds", "Time from a PUBLISH read to each of its"
                        + " deliveries written to a subscriber's connection", m.publishLatency.snapshot(), 1e-9),
                histogram("switchboard_storage_write_seconds", "Time of each RocksDB group write (with its fsync under"
                        + " durability sync)", m.storageWriteNanos.snapshot(), 1e-9),
                histogram("switchboard_storage_group_batches", "Batches committed by each RocksDB group write (the fsync"
                        + " batch size)", m.storageGroupBatches.snapshot(), 1));
    }

    /** A broker histogram in Prometheus' model, its bounds and sum times {@code scale} (nanoseconds to seconds). */
    static HistogramSnapshot histogram(String name, String help, BucketHistogram.Snapshot s, double scale) {
        long[] bounds = s.bounds();
        double[] upper = new double[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
            upper[i] = bounds[i] * scale;
        }
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, s.counts()))
                        .sum(s.sum() * scale).build())
                .build();
    }

    static String code(int reasonCode) {
        return String.format("0x%02X", reasonCode);
    }

    /** A reason code's name in Prometheus style: "not_authorized". */
    static String reasonName(int reasonCode) {
        for (ReasonCode rc : ReasonCode.values()) {
            if (rc.value() == reasonCode) {
                return rc.name().toLowerCase();
            }
        }
        return "unknown";
    }
}
