package io.switchboard.bench.rpc;

import io.switchboard.bench.harness.BrokerLaunch;
import io.switchboard.bench.harness.CpuSampling;
import io.switchboard.bench.rpc.RpcBenchOptions.Broker;
import io.switchboard.testkit.BrokerProcess;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MosquittoBroker;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One broker of the benchmark, running: a child process pinned with {@code taskset -c CPUS}, listening
 * on a free loopback port, with a directory of its own under the output directory (configuration and
 * data; deleted by {@link #close}, which stops the process: SIGTERM, then SIGKILL). The testkit's
 * process classes add a shutdown hook that kills the process should this JVM die first.
 *
 * <ul>
 * <li>Switchboard: {@code java JVM_OPTIONS -jar switchboard.jar broker --config FILE --host 127.0.0.1
 * --port P} ({@link BrokerProcess}); the file sets only the data directory (everything else its
 * defaults: RocksDB, durability sync), or {@code storage: memory}.
 * <li>Mosquitto: {@code /usr/sbin/mosquitto -c FILE} ({@link MosquittoBroker}): one listener on
 * 127.0.0.1, anonymous clients allowed, its defaults otherwise; or with {@code set_tcp_nodelay true}
 * (by default Mosquitto leaves Nagle's algorithm on, which holds a small reply back until the
 * previous segment is acknowledged: up to the client's delayed-ACK time, 40 ms on Linux).
 * <li>HiveMQ CE: {@link HiveMqMain} in a JVM of its own with the JVM options of Switchboard's and those
 * of HiveMQ's start script ({@code bin/run.sh}); config.xml: one TCP listener on 127.0.0.1, anonymous
 * usage statistics off (they would leave the machine), its defaults otherwise.
 * </ul>
 */
final class BrokerUnderTest implements AutoCloseable {
    /** The JVM options HiveMQ CE's own start script adds (less -noverify, gone from recent JVMs). */
    static final List<String> HIVEMQ_SCRIPT_OPTIONS = List.of("-Djava.net.preferIPv4Stack=true",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:+CrashOnOutOfMemoryError");
    private static final Pattern HIVEMQ_VERSION = Pattern.compile("HiveMQ version: (\\S+)");

    final Broker kind;
    private final BrokerProcess jvm;
    private final MosquittoBroker mosquitto;
    private final Path dir;
    private final Path log;
    private final String version;
    /** Deletes the directory should this JVM exit before {@link #close} (the process is killed by its own hook). */
    private final Thread cleanup;

    private BrokerUnderTest(Broker kind, BrokerProcess jvm, MosquittoBroker mosquitto, Path dir, Path log,
            String version) {
        this.kind = kind;
        this.jvm = jvm;
        this.mosquitto = mosquitto;
        this.dir = dir;
        this.log = log;
        this.version = version;
        this.cleanup = new Thread(() -> EmbeddedBroker.deleteTree(dir), "delete-" + kind.key);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Starts {@code kind} under {@code dir} (made here, emptied first), its output to {@code log}, and
     * waits until it accepts connections.
     */
    static BrokerUnderTest start(Broker kind, RpcBenchOptions o, Path dir, Path log)
            throws IOException, InterruptedException {
        EmbeddedBroker.deleteTree(dir);
        Files.createDirectories(dir);
        BrokerLaunch launch = o.launch();
        try {
            return switch (kind) {
                case SWITCHBOARD, SWITCHBOARD_MEMORY -> {
                    Path config = dir.resolve("switchboard.yaml");
                    Files.writeString(config, kind == Broker.SWITCHBOARD_MEMORY ? "storage: memory\n"
                            : "storage:\n  dataDir: \"" + dir.resolve("data").toAbsolutePath() + "\"\n",
                            StandardCharsets.UTF_8);
                    BrokerProcess p = launch.startSwitchboard(config, log);
                    yield new BrokerUnderTest(kind, p, null, dir, log, null);
                }
                case MOSQUITTO, MOSQUITTO_NODELAY -> {
                    MosquittoBroker m = MosquittoBroker.start(launch.taskset(),
                            kind == Broker.MOSQUITTO_NODELAY ? "set_tcp_nodelay true\n" : "");
                    yield new BrokerUnderTest(kind, null, m, dir, log, m.version());
                }
                case HIVEMQ -> startHiveMq(o, launch, dir, log);
            };
        } catch (IOException | InterruptedException | RuntimeException e) {
            EmbeddedBroker.deleteTree(dir);
            throw e;
        }
    }

    private static BrokerUnderTest startHiveMq(RpcBenchOptions o, BrokerLaunch launch, Path dir, Path log)
            throws IOException, InterruptedException {
        int port = BrokerProcess.freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port), StandardCharsets.UTF_8);
        String classpath = Files.readString(o.hivemqClasspath(), StandardCharsets.UTF_8).trim()
                + File.pathSeparator + launcher(dir).toAbsolutePath();
        List<String> command = new ArrayList<>(launch.taskset());
        command.add(BrokerProcess.javaHomeTool("java"));
        command.addAll(launch.jvmOptions());
        command.addAll(HIVEMQ_SCRIPT_OPTIONS);
        if (launch.sampling() != null) {
            command.addAll(CpuSampling.jvmOptions(launch.sampling()));
        }
        command.addAll(List.of("-cp", classpath, HiveMqMain.class.getName(), conf.toAbsolutePath().toString(),
                data.toAbsolutePath().toString(), extensions.toAbsolutePath().toString()));
        BrokerProcess p = BrokerProcess.startCommand(command, port, log);
        Matcher m = HIVEMQ_VERSION.matcher(p.logText());
        return new BrokerUnderTest(Broker.HIVEMQ, p, null, dir, log, m.find() ? m.group(1) : "?");
    }

    /**
     * A directory holding {@link HiveMqMain}'s class alone, copied from this JVM's class path: HiveMQ's
     * JVM must not see the benchmark's other classes and resources (its logback.xml, its Netty).
     */
    private static Path launcher(Path dir) throws IOException {
        String name = HiveMqMain.class.getName().replace('.', '/') + ".class";
        Path file = dir.resolve("launcher").resolve(name);
        Files.createDirectories(file.getParent());
        try (InputStream in = HiveMqMain.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path");
            }
            Files.copy(in, file);
        }
        return dir.resolve("launcher");
    }

    int port() {
        return jvm != null ? jvm.port() : mosquitto.port();
    }

    long pid() {
        return jvm != null ? jvm.pid() : mosquitto.pid();
    }

    /** The broker's JVM, for jcmd; null for Mosquitto. */
    BrokerProcess jvm() {
        return jvm;
    }

    /** Its version when it says one (Mosquitto, HiveMQ); null for Switchboard (the commit tells). */
    String version() {
        return version;
    }

    /** Stops the broker and deletes its directory; Mosquitto's output is kept in the log file. */
    @Override
    public void close() throws InterruptedException, IOException {
        try {
            if (jvm != null) {
                jvm.stop();
            } else {
                mosquitto.close();
                Files.writeString(log, mosquitto.logText(), StandardCharsets.UTF_8);
            }
        } finally {
            EmbeddedBroker.deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway, harmlessly
            }
        }
    }
}
