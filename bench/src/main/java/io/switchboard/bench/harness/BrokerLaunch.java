package io.switchboard.bench.harness;

import io.switchboard.testkit.BrokerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a benchmark starts a JVM broker: pinned to {@code cpus} with {@code taskset -c}, with these JVM
 * options, and, when profiled, recording CPU samples from its start ({@link CpuSampling}).
 *
 * @param cpus the cores the broker is pinned to, as {@code taskset -c} takes them ("0", "0,2-3")
 * @param jar Switchboard's runnable jar
 * @param jvmOptions the broker JVM's options ("-Xms1g", "-Xmx1g")
 * @param sampling the JFR settings of the profiles, or null when not profiling
 */
public record BrokerLaunch(String cpus, Path jar, List<String> jvmOptions, Path sampling) {
    public BrokerLaunch {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The launcher of the broker's command: {@code taskset -c CPUS}. */
    public List<String> taskset() {
        return List.of("taskset", "-c", cpus);
    }

    /** The JVM options, and those of the profile when profiling. */
    public List<String> allJvmOptions() {
        List<String> all = new ArrayList<>(jvmOptions);
        if (sampling != null) {
            all.addAll(CpuSampling.jvmOptions(sampling));
        }
        return all;
    }

    /**
     * Starts Switchboard ({@code java OPTIONS -jar switchboard.jar broker --config FILE --host 127.0.0.1
     * --port P}, P a free port) and waits until it is ready. Closing it stops it (SIGTERM, then
     * SIGKILL); a shutdown hook kills it should this JVM die first.
     */
    public BrokerProcess startSwitchboard(Path config, Path log) throws IOException, InterruptedException {
        return BrokerProcess.start(taskset(), jar, allJvmOptions(), config, log);
    }
}
