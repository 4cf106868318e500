package io.switchboard.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * JFR settings for the benchmarks' profiles: CPU samples of the threads running Java code every
 * millisecond (JFR's "profile" settings take one every 10 ms, too few in a 10 s phase of a broker on
 * one core), and the garbage collections. {@link JfrTop} summarises what they record.
 *
 * <p>Turning JFR's sampling on makes a JVM compile again, so a JVM records with these settings from
 * its start (a broker: {@link #jvmOptions}; this JVM: a primer recording) and a measured phase only
 * starts one more recording, which compiles nothing again.
 */
public final class CpuSampling {
    private static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="cpu-sampling" description="CPU samples every millisecond, GC pauses">
              <event name="jdk.ExecutionSample">
                <setting name="enabled">true</setting>
                <setting name="period">1 ms</setting>
              </event>
              <event name="jdk.GarbageCollection">
                <setting name="enabled">true</setting>
                <setting name="threshold">0 ms</setting>
              </event>
            </configuration>
            """;

    private CpuSampling() {
    }

    /** Writes the settings to {@code file} (a .jfc), making its directory. */
    public static void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, SETTINGS, StandardCharsets.UTF_8);
    }

    /** A recording in this JVM with the settings of {@code file}, not started. */
    public static Recording recording(Path file) throws IOException {
        try {
            return new Recording(Configuration.create(file));
        } catch (ParseException e) {
            throw new IOException("the JFR settings " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * JVM options of a broker to be profiled: a recording from the start with these settings, in
     * memory (the measured phase's own recording is started and written with jcmd), and the JIT's
     * debug information that places a sample on the right line.
     */
    public static List<String> jvmOptions(Path file) {
        return List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                "-XX:StartFlightRecording=name=primer,disk=false,settings=" + file.toAbsolutePath());
    }
}
