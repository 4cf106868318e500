package io.switchboard.admin.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.switchboard.broker.Broker;
import io.switchboard.broker.metrics.BrokerMetrics;
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
        return MetricSnapshots.of(denials.build());
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
