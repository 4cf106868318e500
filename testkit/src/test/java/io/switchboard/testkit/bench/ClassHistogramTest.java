package io.switchboard.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassHistogramTest {
    // As `jcmd <pid> GC.class_histogram` prints it on JDK 17.
    private static final String BEFORE = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000          80000  [B (java.base@17.0.15)
               2:           500          12000  java.lang.String (java.base@17.0.15)
               3:            10            240  io.switchboard.broker.session.Session$$Lambda$233/0x0000000800c4b000
            Total          1510          92240
            """;
    private static final String AFTER = """
            12345:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          3000        8240000  [Ljava.lang.Object; (java.base@17.0.15)
               2:          1000          80000  [B (java.base@17.0.15)
               3:           700          16800  java.lang.String (java.base@17.0.15)
               4:          2000          48000  io.switchboard.broker.session.Session$$Lambda$233/0x0000000800c4b000
            Total          6700        8384800
            """;

    @Test
    void parsesInstancesBytesAndTotal() {
        ClassHistogram h = ClassHistogram.parse(BEFORE);
        assertThat(h.totalBytes()).isEqualTo(92_240);
        assertThat(h.totalInstances()).isEqualTo(1_510);
        assertThat(h.instances("java.lang.String")).isEqualTo(500);
        assertThat(h.instances("java.lang.Object")).isZero();
    }

    @Test
    void differenceIsLargestGrowthFirstAndMatchesLambdasByName() {
        List<ClassHistogram.Delta> d = ClassHistogram.parse(AFTER).minus(ClassHistogram.parse(BEFORE));
        assertThat(d).containsExactly(
                new ClassHistogram.Delta("[Ljava.lang.Object;", 3_000, 8_240_000),
                new ClassHistogram.Delta("io.switchboard.broker.session.Session$$Lambda$233", 1_990, 47_760),
                new ClassHistogram.Delta("java.lang.String", 200, 4_800));
    }

    @Test
    void refusesOutputThatIsNotAHistogram() {
        assertThatThrownBy(() -> ClassHistogram.parse("12345:\nCould not attach\n"))
                .isInstanceOf(IllegalStateException.class);
    }
}
