package io.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request/response examples in examples/ (docs/rpc.md), each run as its README says (one Java
 * source file with the switchboard jar on the class path) against a broker, so they keep working.
 */
class ExamplesInteropTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @RegisterExtension
    static final EmbeddedBroker BROKER = new EmbeddedBroker();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HealthCheck   | GET /devices/pump-8/health -> 503",
        "DoorLock      | mallory: refused, not-allowed: mallory may not open door-7",
        "ConfigQuery   | cam-1 config: Config[resolution=1920x1080, fps=30, nightMode=true]",
        "WebRtcOffer   | a=sendonly",
        "ResponderPool | 30 jobs served: {worker-1=10, worker-2=10, worker-3=10}"})
    void runs(String example, String expected) {
        Path jar = ROOT.resolve("cli/target/switchboard.jar");
        assertThat(jar).as("the runnable jar, built by the cli module").exists();
        try (Proc p = Proc.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                jar.toString(), ROOT.resolve("examples/" + example + ".java").toString(), "--host", BROKER.host(),
                "--port", Integer.toString(BROKER.port())))) {
            List<String> out = p.awaitSuccess(Duration.ofSeconds(90));
            assertThat(out).anySatisfy(line -> assertThat(line).contains(expected));
        }
    }
}
