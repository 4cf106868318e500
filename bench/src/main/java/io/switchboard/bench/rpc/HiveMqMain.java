package io.switchboard.bench.rpc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ Community Edition in a JVM of its own, for {@link RpcBench}: starts {@code EmbeddedHiveMQ}
 * with a configuration folder (its {@code config.xml}), a data folder and an extensions folder (empty:
 * no extension), prints {@value #READY} once its listeners are open, and runs until the process is
 * stopped (SIGTERM stops HiveMQ first).
 *
 * <p>Through reflection: HiveMQ CE and its dependencies (Netty 4.1, RocksDB 8, ...) are on this JVM's
 * class path only (bench/hivemq-ce/pom.xml), never on the build's, whose versions differ.
 * {@link BrokerUnderTest} copies this class alone into a directory of its own for that class path.
 *
 * <p>Usage: {@code java -cp <HiveMQ CE class path>:<this class's directory> io.switchboard.bench.rpc.HiveMqMain
 * CONFIG_FOLDER DATA_FOLDER EXTENSIONS_FOLDER}
 */
public final class HiveMqMain {
    /** What the runner waits for in the output, as it does for Switchboard's own "Ready.". */
    static final String READY = "Ready.";
    private static final long START_TIMEOUT_SECONDS = 120;

    private HiveMqMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: HiveMqMain CONFIG_FOLDER DATA_FOLDER EXTENSIONS_FOLDER");
            System.exit(2);
        }
        Class<?> embedded = Class.forName("com.hivemq.embedded.EmbeddedHiveMQ");
        Class<?> builderType = Class.forName("com.hivemq.embedded.EmbeddedHiveMQBuilder");
        Object builder = embedded.getMethod("builder").invoke(null);
        builder = call(builderType, builder, "withConfigurationFolder", Path.of(args[0]));
        builder = call(builderType, builder, "withDataFolder", Path.of(args[1]));
        builder = call(builderType, builder, "withExtensionsFolder", Path.of(args[2]));
        AutoCloseable hivemq = (AutoCloseable) builderType.getMethod("build").invoke(builder);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.close();
            } catch (Exception e) {
                System.err.println("HiveMQ did not stop cleanly: " + e);
            }
        }, "stop-hivemq"));
        CompletableFuture<?> started = (CompletableFuture<?>) embedded.getMethod("start").invoke(hivemq);
        started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println(READY);
        System.out.flush();
        new CountDownLatch(1).await(); // until the process is stopped
    }

    private static Object call(Class<?> type, Object target, String name, Path argument) throws Exception {
        Method m = type.getMethod(name, Path.class);
        try {
            return m.invoke(target, argument);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
