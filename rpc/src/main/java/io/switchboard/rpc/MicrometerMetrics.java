package io.switchboard.rpc;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Per-method timers in a Micrometer registry: {@code switchboard.rpc.calls} (tags {@code method},
 * {@code outcome}) and {@code switchboard.rpc.served} ({@code filter}, {@code outcome}), each with a
 * latency histogram. The only class that touches Micrometer, loaded only when it is there.
 */
final class MicrometerMetrics implements RpcMetrics {
    private final MeterRegistry registry;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static RpcMetrics global() {
        return new MicrometerMetrics(Metrics.globalRegistry);
    }

    @Override
    public void call(String method, String outcome, long nanos) {
        Timer.builder("switchboard.rpc.calls").description("RPC calls made, by method and outcome")
                .tag("method", method).tag("outcome", outcome).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void served(String filter, String outcome, long nanos) {
        Timer.builder("switchboard.rpc.served").description("RPC requests answered, by filter and outcome")
                .tag("filter", filter).tag("outcome", outcome).publishPercentileHistogram().register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
