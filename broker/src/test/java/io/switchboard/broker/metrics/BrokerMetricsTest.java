package io.switchboard.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The counters by QoS and by reason code, alone. */
class BrokerMetricsTest {

    @Test
    void perQosCountsEachQosApartAndTheirTotal() {
        PerQos c = new PerQos();
        c.increment(0);
        c.increment(2);
        c.increment(2);
        c.add(1, 10);
        assertThat(c.sum(0)).isEqualTo(1);
        assertThat(c.sum(1)).isEqualTo(10);
        assertThat(c.sum(2)).isEqualTo(2);
        assertThat(c.total()).isEqualTo(13);
        assertThat(c).hasToString("[1, 10, 2]");
    }

    @Test
    void refusalsAreCountedByReasonCodeInOrderOfTheCode() {
        BrokerMetrics m = new BrokerMetrics();
        assertThat(m.connectionsRefused()).isEmpty();
        m.refused(0x87);
        m.refused(0x85);
        m.refused(0x87);
        assertThat(m.connectionsRefused()).containsExactly(java.util.Map.entry(0x85, 1L),
                java.util.Map.entry(0x87, 2L));
    }
}
