package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.crash.CrashOptions;
import io.switchboard.testkit.crash.CrashTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The crash test ({@code scripts/crash-test}, docs/durability.md) in short: HiveMQ MQTT clients,
 * 5.0 and 3.1.1, publish at QoS 1 and 2 to persistent subscribers, some offline at times, while the
 * broker jar, with RocksDB and durability sync, is killed with SIGKILL three times at random moments
 * and restarted. Nothing acknowledged may be lost, and no QoS 2 delivery may come twice
 * ([MQTT-4.3.2-*] at least once, [MQTT-4.3.3-10] exactly once, [MQTT-4.4.0-1] resent after the
 * reconnection). The table it prints is in this class's surefire output.
 */
class CrashInteropTest {
    private static final Path JAR = Path.of("..", "cli", "target", "switchboard.jar");

    @Test
    void nothingAcknowledgedIsLostAndNoQos2DuplicateAcrossSigkills() throws Exception {
        assertThat(JAR).as("the runnable jar, built by the cli module").exists();
        CrashOptions options = CrashOptions.defaults()
                .withCycles(3)
                .withLoadMillis(300, 2000)
                .withJar(JAR)
                .withWorkDirectory(Path.of("target", "crash-test"))
                .withDrainTimeout(Duration.ofSeconds(60));
        CrashTest.Result r = CrashTest.run(options, System.out);
        assertThat(r.acknowledged()).as("messages acknowledged").isPositive();
        assertThat(r.lost()).as("deliveries of acknowledged messages lost\n" + r.table()).isZero();
        assertThat(r.qos2Duplicates()).as("QoS 2 deliveries duplicated\n" + r.table()).isZero();
        assertThat(r.failures()).as(r.table()).isEmpty();
    }
}
