package io.switchboard.testkit.crash;

import io.switchboard.testkit.BrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The crash test: MQTT clients publish at QoS 1 and 2 to persistent subscribers, some of them
 * offline at times, while the broker, a process of its own with RocksDB storage, is killed with
 * SIGKILL at a random moment of each cycle and restarted on the same port and data directory. At
 * the end every acknowledged message is accounted for ({@link CrashReport}): nothing acknowledged
 * may be lost at QoS 1 or 2, and no QoS 2 delivery may come twice. Run by {@code scripts/crash-test}
 * ({@link #main}) and, with a few short cycles, by the interop tests.
 *
 * <p>A cycle: wait until every client that should be connected is (the library reconnects on its
 * own); run the load for a random time, during which intermittent subscribers may go offline or come
 * back; SIGKILL the broker, whatever is in flight; start it again. The end: stop publishing, bring
 * every subscriber back, wait (bounded) until every message has its answer and every acknowledged
 * message has reached every subscriber, then until nothing more arrives, and count.
 *
 * <p>The clients are HiveMQ MQTT clients (5.0 and 3.1.1), a library this project did not write:
 * see {@link CrashClient} for what it keeps across reconnections.
 */
public final class CrashTest {
    /** Time allowed for each client operation (connect, subscribe, disconnect) and for reconnections. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    /** Nothing received for this long, after everything expected was, ends the wait for late duplicates. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Pattern RECOVERED = Pattern.compile(
            "Storage: read (\\d+) sessions, (\\d+) stored messages in (\\d+) deliveries");
    private static final int MAX_ERROR_LINES = 20;

    /** The outcome: whether it passed, the counts and the table. */
    public record Result(boolean passed, long acknowledged, long lost, long qos2Duplicates, List<String> failures,
            String table) {
    }

    private final CrashOptions options;
    private final PrintStream out;
    private final Random random;
    private volatile int cycle;
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private BrokerProcess broker;
    private int kills;
    private long inFlightAtKills;

    private CrashTest(CrashOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
    }

    public static void main(String[] args) throws Exception {
        CrashOptions options = CrashOptions.parse(args);
        if (options == null) {
            return; // --help
        }
        Result r = run(options, System.out);
        System.exit(r.passed() ? 0 : 1);
    }

    /** Runs the crash test, printing its progress and the table to {@code out}. */
    public static Result run(CrashOptions options, PrintStream out) throws IOException, InterruptedException {
        return new CrashTest(options, out).run();
    }

    private Result run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path work = options.workDirectory().toAbsolutePath();
        Files.createDirectories(work);
        Path data = work.resolve("data");
        deleteRecursively(data);
        try (Stream<Path> old = Files.list(work)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("broker-")).toList()) {
                Files.delete(p);
            }
        }
        int port = BrokerProcess.freePort();
        Path config = work.resolve("broker.yaml");
        Files.writeString(config, config(port, data), StandardCharsets.UTF_8);
        out.printf("Crash test: %d cycles, seed %d, durability %s; broker on 127.0.0.1:%d, files in %s%n",
                options.cycles(), options.seed(), options.durability(), port, work);
        broker = BrokerProcess.start(options.jar(), options.brokerJvmOptions(), config, port, Map.of(), log(0));
        try {
            String stopped = null;
            try {
                setUp(port);
                for (cycle = 1; cycle <= options.cycles(); cycle++) {
                    runCycle();
                }
                cycle = options.cycles() + 1;
                drain();
            } catch (IllegalStateException e) {
                // A hang (a client that cannot reconnect, a broker that does not start): counted as far as it got.
                stopped = (cycle > options.cycles() ? "at the end" : "in cycle " + cycle) + ": " + e.getMessage();
                out.println("STOPPED " + stopped);
            }
            CrashReport report = CrashReport.account(new CrashReport.Run(options.cycles(), kills, options.seed(),
                    options.durability(), options.minLoadMillis(), options.maxLoadMillis(), options.ratePerPublisher(),
                    options.window(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), inFlightAtKills,
                    brokerErrors(), stopped), publishers, subscribers);
            String table = report.render();
            out.println();
            out.print(table);
            Files.writeString(work.resolve("report.txt"), table, StandardCharsets.UTF_8);
            if (report.passed()) {
                deleteRecursively(data); // kept when it failed, to look into
            } else {
                out.printf("Broker logs (broker-NN.log, one per start) and data directory kept in %s%n", work);
            }
            long acknowledged = report.acknowledged[1] + report.acknowledged[2];
            return new Result(report.passed(), acknowledged, report.lost(), report.qos2Duplicates(),
                    List.copyOf(report.failures), table);
        } finally {
            tearDown();
        }
    }

    private String config(int port, Path data) {
        return """
                # Written by the crash test (io.switchboard.testkit.crash.CrashTest).
                listeners:
                  - {name: default, type: tcp, host: 127.0.0.1, port: %d}
                sessions:
                  # Intermittent subscribers are offline for whole cycles: nothing may be dropped for a full queue.
                  maxQueuedMessages: 10000000
                  maxQueuedBytes: 1073741824
                storage:
                  type: rocksdb
                  dataDir: %s
                  durability: %s
                """.formatted(port, data, options.durability());
    }

    private Path log(int start) {
        return options.workDirectory().toAbsolutePath().resolve(String.format("broker-%02d.log", start));
    }

    // ---- clients ----

    /**
     * Four publishers (QoS 1 and 2, 5.0 and 3.1.1) and five subscribers to {@code crash/#}: QoS 2 and
     * QoS 1, steady and intermittent, one of them 3.1.1 with Clean Session 0.
     */
    private void setUp(int port) throws InterruptedException {
        publishers.add(publisher(0, "pub-q1-v5", 1, CrashClient.v5("crash-pub-q1-v5", port)));
        publishers.add(publisher(1, "pub-q2-v5", 2, CrashClient.v5("crash-pub-q2-v5", port)));
        publishers.add(publisher(2, "pub-q1-v3", 1, CrashClient.v3("crash-pub-q1-v3", port)));
        publishers.add(publisher(3, "pub-q2-v3", 2, CrashClient.v3("crash-pub-q2-v3", port)));
        int[] qos = publishers.stream().mapToInt(p -> p.qos).toArray();
        subscribers.add(new Subscriber("sub-q2-a", 2, false, CrashClient.v5("crash-sub-q2-a", port), qos, () -> cycle));
        subscribers.add(new Subscriber("sub-q2-b", 2, true, CrashClient.v5("crash-sub-q2-b", port), qos, () -> cycle));
        subscribers.add(new Subscriber("sub-q1-a", 1, false, CrashClient.v5("crash-sub-q1-a", port), qos, () -> cycle));
        subscribers.add(new Subscriber("sub-q1-b", 1, true, CrashClient.v5("crash-sub-q1-b", port), qos, () -> cycle));
        subscribers.add(new Subscriber("sub-q2-v3", 2, true, CrashClient.v3("crash-sub-q2-v3", port), qos,
                () -> cycle));
        for (Subscriber s : subscribers) {
            complete(s.client.connect(), s.name + " connects");
            s.online = true;
            // SUBACK comes once the subscription is durable: every message published from now on is for it.
            complete(s.client.subscribe("crash/#", s.qos), s.name + " subscribes");
        }
        for (Publisher p : publishers) {
            complete(p.client.connect(), p.name + " connects");
        }
        publishers.forEach(Publisher::start);
    }

    private Publisher publisher(int index, String name, int qos, CrashClient client) {
        return new Publisher(index, name, qos, client, options.window(), options.ratePerPublisher(), () -> cycle);
    }

    private void tearDown() throws InterruptedException {
        for (Publisher p : publishers) {
            p.stop();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (CrashClient c : clients()) {
            if (c.state().isConnectedOrReconnect()) {
                closing.add(c.disconnect().exceptionally(e -> null));
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the broker is gone or slow: it is stopped below anyway
        }
        broker.close();
    }

    private List<CrashClient> clients() {
        List<CrashClient> all = new ArrayList<>();
        publishers.forEach(p -> all.add(p.client));
        subscribers.forEach(s -> all.add(s.client));
        return all;
    }

    // ---- cycles ----

    private record Event(long atMillis, Subscriber subscriber, boolean goOffline) {
    }

    private void runCycle() throws InterruptedException, IOException {
        awaitClientsConnected();
        long load = options.minLoadMillis()
                + (long) (random.nextDouble() * (options.maxLoadMillis() - options.minLoadMillis()));
        List<Event> events = new ArrayList<>();
        for (Subscriber s : subscribers) {
            if (!s.intermittent) {
                continue;
            }
            if (s.online && random.nextBoolean()) {
                // Offline across the next one or two kills: its queue must come back from disk.
                events.add(new Event((long) (random.nextDouble() * load), s, true));
                s.returnCycle = cycle + 1 + random.nextInt(2);
            } else if (!s.online && s.returnCycle == cycle) {
                events.add(new Event((long) (random.nextDouble() * load), s, false));
            }
        }
        events.sort(Comparator.comparingLong(Event::atMillis));
        long start = System.nanoTime();
        List<String> changes = new ArrayList<>();
        for (Event e : events) {
            sleepUntil(start, e.atMillis());
            if (e.goOffline()) {
                complete(e.subscriber().client.disconnect(), e.subscriber().name + " disconnects");
                e.subscriber().online = false;
                changes.add(e.subscriber().name + " offline");
            } else {
                complete(e.subscriber().client.connect(), e.subscriber().name + " reconnects");
                e.subscriber().online = true;
                changes.add(e.subscriber().name + " back");
            }
        }
        sleepUntil(start, load);
        // The kill: whatever is in flight at this moment, in the broker, on the wire or on disk.
        int unanswered = publishers.stream().mapToInt(Publisher::outstanding).sum();
        long acknowledgedSoFar = publishers.stream().mapToLong(Publisher::acknowledgedCount).sum();
        broker.kill();
        kills++;
        inFlightAtKills += unanswered;
        for (Subscriber s : subscribers) {
            if (!s.online) {
                s.offlineCycles++;
            }
        }
        long restarting = System.nanoTime();
        broker.restart(log(cycle));
        long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting);
        out.printf("cycle %2d/%d: load %,5d ms%s; SIGKILL with %,d messages unanswered (%,d acknowledged so far);"
                + " restarted in %,d ms%s%n", cycle, options.cycles(), load,
                changes.isEmpty() ? "" : " (" + String.join(", ", changes) + ")", unanswered, acknowledgedSoFar,
                restartMillis, recovered(log(cycle)));
    }

    /** What the broker read back at start-up, from its log. */
    private static String recovered(Path log) throws IOException {
        Matcher m = RECOVERED.matcher(Files.readString(log, StandardCharsets.UTF_8));
        return m.find() ? ", read back " + m.group(1) + " sessions and " + m.group(3) + " queued or in-flight deliveries"
                : "";
    }

    /** Every client that should be connected is: the publishers, the steady subscribers, the intermittent ones online. */
    private void awaitClientsConnected() throws InterruptedException {
        await("every client that should be connected reconnects", CLIENT_TIMEOUT, () ->
                publishers.stream().allMatch(p -> p.client.connected())
                        && subscribers.stream().allMatch(s -> !s.online || s.client.connected()));
    }

    // ---- the end ----

    private void drain() throws InterruptedException {
        for (Publisher p : publishers) {
            p.stop();
        }
        for (Subscriber s : subscribers) {
            if (!s.online) {
                complete(s.client.connect(), s.name + " reconnects for the end");
                s.online = true;
            }
        }
        awaitClientsConnected();
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        out.printf("draining: %,d messages unanswered; waiting up to %d s for their answers and every delivery%n",
                publishers.stream().mapToInt(Publisher::outstanding).sum(), options.drainTimeout().toSeconds());
        boolean answered = awaitUntil(deadline, () -> publishers.stream().allMatch(Publisher::settled));
        boolean delivered = awaitUntil(deadline, () -> missing() == 0);
        // Then until nothing arrives for a while: a late duplicate would come now, if at all.
        awaitUntil(Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)), () -> subscribers.stream()
                .allMatch(s -> s.nanosSinceLastReceipt() > QUIET.toNanos()));
        if (!answered || !delivered) {
            out.printf("drain timed out after %d s: %s%s%n", options.drainTimeout().toSeconds(),
                    answered ? "" : publishers.stream().mapToInt(Publisher::outstanding).sum() + " messages unanswered; ",
                    delivered ? "" : missing() + " deliveries of acknowledged messages missing");
        }
    }

    /** Deliveries of acknowledged messages not received yet, over every subscriber. */
    private long missing() {
        long missing = 0;
        for (Publisher p : publishers) {
            int n = p.sent();
            for (int seq = 0; seq < n; seq++) {
                if (p.acknowledged(seq)) {
                    for (Subscriber s : subscribers) {
                        if (s.count(p.index, seq) == 0) {
                            missing++;
                        }
                    }
                }
            }
        }
        return missing;
    }

    /** The ERROR lines of every broker log of the run (the first few). */
    private List<String> brokerErrors() throws IOException {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i <= kills; i++) {
            Path log = log(i);
            if (!Files.exists(log)) {
                continue;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains(" ERROR ") && errors.size() < MAX_ERROR_LINES) {
                    errors.add(log.getFileName() + ": " + line);
                }
            }
        }
        return errors;
    }

    // ---- waiting ----

    private static void sleepUntil(long startNanos, long atMillis) throws InterruptedException {
        long wait = startNanos + TimeUnit.MILLISECONDS.toNanos(atMillis) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait); // the schedule of the load, not a wait for something to happen
        }
    }

    /** Waits until the condition holds; fails the run, saying what did not happen, after {@code timeout}. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!awaitUntil(System.nanoTime() + timeout.toNanos(), condition)) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting until " + what);
        }
    }

    private static boolean awaitUntil(long deadlineNanos, BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static void complete(CompletableFuture<?> f, String what) throws InterruptedException {
        try {
            f.get(CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": no answer within " + CLIENT_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
