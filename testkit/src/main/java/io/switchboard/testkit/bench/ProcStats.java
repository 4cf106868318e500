package io.switchboard.testkit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a process did between two moments, read from Linux's {@code /proc}: CPU time and time spent
 * runnable but waiting for a core, by thread (grouped by name: {@code sb-loop-3-1} and
 * {@code sb-loop-3-2} are {@code sb-loop}), bytes the process wrote to the block device, and the
 * whole machine's busy and stolen CPU time. Costs a few file reads; null where there is no /proc.
 */
public final class ProcStats {
    /** Clock ticks per second in /proc/stat; 100 on every Linux of the last decades. */
    private static final double TICKS_PER_SECOND = 100;
    /** Numbers that tell threads of one kind apart: "sb-loop-3-1", "GC Thread#1", "G1 Conc#0". */
    private static final Pattern THREAD_NUMBER = Pattern.compile("([-#]?\\d+)+$");

    /** One thread: its name, nanoseconds on a core and nanoseconds runnable but waiting for one. */
    private record Task(String name, long runNanos, long waitNanos) {
    }

    private final long atNanos;
    private final Map<String, Task> tasks;
    private final long writeBytes;
    private final long machineBusyTicks;
    private final long machineStealTicks;

    private ProcStats(long atNanos, Map<String, Task> tasks, long writeBytes, long machineBusyTicks,
            long machineStealTicks) {
        this.atNanos = atNanos;
        this.tasks = tasks;
        this.writeBytes = writeBytes;
        this.machineBusyTicks = machineBusyTicks;
        this.machineStealTicks = machineStealTicks;
    }

    /** The figures of process {@code pid} now, or null when they cannot be read (not Linux). */
    public static ProcStats read(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long now = System.nanoTime();
            Map<String, Task> tasks = new HashMap<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : dir) {
                    try {
                        String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                        String[] sched = Files.readString(task.resolve("schedstat"), StandardCharsets.UTF_8).trim().split(" ");
                        tasks.put(task.getFileName().toString(),
                                new Task(name, Long.parseLong(sched[0]), Long.parseLong(sched[1])));
                    } catch (IOException e) {
                        // the thread ended while being read
                    }
                }
            }
            long written = -1;
            for (String line : Files.readAllLines(proc.resolve("io"))) {
                if (line.startsWith("write_bytes:")) {
                    written = Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[i]);
            }
            return new ProcStats(now, tasks, written, busy, Long.parseLong(cpu[8]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Waits up to {@code seconds} (0: not at all) until every process of the machine but this one uses
     * less than a quarter of a core for two seconds in a row, so that a measurement does not start in
     * another program's noise. Returns what to tell the reader (still busy, or waited long), or null.
     */
    public static String awaitQuiet(int seconds) throws InterruptedException {
        if (seconds <= 0) {
            return null;
        }
        long self = ProcessHandle.current().pid();
        long started = System.nanoTime();
        int quiet = 0;
        double other = 0;
        while (quiet < 2 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(seconds)) {
            ProcStats before = read(self);
            Thread.sleep(1000);
            ProcStats after = read(self);
            if (before == null || after == null) {
                return null; // not Linux
            }
            Delta d = after.since(before);
            other = d.machineCores() - d.cores();
            quiet = other < 0.25 ? quiet + 1 : 0;
        }
        double waited = (System.nanoTime() - started) / 1e9;
        if (quiet < 2) {
            return String.format(Locale.ROOT, "the other processes of the machine still use %.2f cores after %.0f s:"
                    + " measuring anyway", other, waited);
        }
        return waited > 3 ? String.format(Locale.ROOT, "waited %.0f s for the other processes of the machine to go"
                + " quiet", waited) : null;
    }

    /** The id of the (first) thread with this name, or -1. */
    static long threadId(long pid, String name) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                if (comm.equals(name)) {
                    return Long.parseLong(task.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or the process is gone
        }
        return -1;
    }

    /** What happened from {@code before} to this. */
    public Delta since(ProcStats before) {
        double nanos = atNanos - before.atNanos;
        Map<String, double[]> byName = new HashMap<>();
        double cores = 0;
        for (Map.Entry<String, Task> e : tasks.entrySet()) {
            Task now = e.getValue();
            Task then = before.tasks.get(e.getKey());
            double run = (now.runNanos - (then == null ? 0 : then.runNanos)) / nanos;
            double wait = (now.waitNanos - (then == null ? 0 : then.waitNanos)) / nanos;
            cores += run;
            if (run > 0 || wait > 0) {
                double[] sum = byName.computeIfAbsent(THREAD_NUMBER.matcher(now.name).replaceFirst(""), k -> new double[2]);
                sum[0] += run;
                sum[1] += wait;
            }
        }
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(byName.entrySet());
        sorted.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
        Map<String, double[]> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        long written = writeBytes < 0 || before.writeBytes < 0 ? -1 : writeBytes - before.writeBytes;
        double seconds = nanos / 1e9;
        return new Delta(seconds, cores, ordered, written,
                (machineBusyTicks - before.machineBusyTicks) / TICKS_PER_SECOND / seconds,
                (machineStealTicks - before.machineStealTicks) / TICKS_PER_SECOND / seconds);
    }

    /**
     * @param cores the process's CPU time per second of wall time (2.0 is both cores of this machine)
     * @param threads by kind of thread, most CPU first: {CPU in cores, runnable-but-waiting in cores}
     * @param writeBytes bytes written to the block device (page cache write-back counted when it happens), -1 if unknown
     * @param machineCores CPU time of the whole machine (every process, and the kernel) per second
     * @param machineSteal CPU time the hypervisor took from this machine per second
     */
    public record Delta(double seconds, double cores, Map<String, double[]> threads, long writeBytes, double machineCores,
            double machineSteal) {
        /** CPU time of one kind of thread, in cores. */
        public double thread(String name) {
            double[] t = threads.get(name);
            return t == null ? 0 : t[0];
        }

        /** Time one kind of thread was runnable but not running (no core free), per second. */
        public double waiting(String name) {
            double[] t = threads.get(name);
            return t == null ? 0 : t[1];
        }

        /** "sb-loop 0.81 (wait 0.05), sb-storage 0.32 (wait 0.01), ...": the first {@code n} kinds of thread. */
        public String top(int n) {
            StringBuilder s = new StringBuilder();
            threads.entrySet().stream().limit(n).forEach(e -> s.append(s.length() == 0 ? "" : ", ")
                    .append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.2f (wait %.2f)",
                            e.getValue()[0], e.getValue()[1])));
            return s.toString();
        }
    }
}
