package io.switchboard.admin.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.broker.Broker;
import io.switchboard.rules.engine.RulesService;
import io.micrometer.core.instrument.Gauge;

/**
 * The broker's Prometheus registry (Micrometer): the broker's counters and gauges
 * ({@link BrokerMeters}), its histograms and labelled families ({@link BrokerCollector}), and the
 * JVM's and Netty's memory, threads and GC. Nothing is recorded here: every value is read from the
 * broker's own counters when {@code /metrics} is scraped, so metrics cost the broker nothing more.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics(Broker broker) {
        new BrokerMeters(broker).bindTo(registry);
        registry.getPrometheusRegistry().register(new BrokerCollector(broker));
        broker.extension(RulesService.class)
                .ifPresent(rules -> registry.getPrometheusRegistry().register(new RulesCollector(rules)));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        Gauge.builder("netty.direct.memory.used", PlatformDependent::usedDirectMemory).baseUnit("bytes")
                .description("Direct memory Netty holds (its own count; -1 when it does not count)").register(registry);
    }

    /** The text of {@code /metrics}: Prometheus text format 0.0.4, or OpenMetrics when {@code accept} asks for it. */
    public String scrape(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8")
                : registry.scrape();
    }

    /** The content type of what {@link #scrape} returns. */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
