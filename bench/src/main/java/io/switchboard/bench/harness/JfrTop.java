package io.switchboard.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}: threads running Java code, native
 * code not included) fall: by top frame (the method on the CPU), by kind of thread, and by the
 * innermost frame of the project's own code ({@code io.switchboard.*}), which charges the JDK and
 * Netty code it calls to it. The same as aggregating {@code jfr print --events jdk.ExecutionSample}.
 */
public final class JfrTop {
    /** Numbers that tell threads of one kind apart: "sb-loop-3-1", "nioEventLoopGroup-2-1". */
    private static final Pattern THREAD_NUMBER = Pattern.compile("([-#]?\\d+)+$");
    private static final String PROJECT = "io.switchboard.";

    private JfrTop() {
    }

    /**
     * Markdown: three small tables, the first {@code top} rows each, of the events from {@code from} to
     * {@code to} (a recording written with jcmd may hold older events of another recording of the JVM).
     */
    public static String summarize(Path recording, Instant from, Instant to, String title, int top) throws IOException {
        return summarize(recording, from, to, title, top, List.of());
    }

    /**
     * The same, and a fourth table: for each prefix of {@code through} (a package, "io.switchboard.security."),
     * the samples with a frame of it anywhere in their stack, that is the time spent in it and in what it
     * calls.
     */
    public static String summarize(Path recording, Instant from, Instant to, String title, int top, List<String> through)
            throws IOException {
        Map<String, Integer> frames = new HashMap<>();
        Map<String, Integer> within = new LinkedHashMap<>();
        through.forEach(prefix -> within.put(prefix, 0));
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> project = new HashMap<>();
        int total = 0;
        int collections = 0;
        Duration paused = Duration.ZERO;
        Duration longest = Duration.ZERO;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                if (e.getEventType().getName().equals("jdk.GarbageCollection")) {
                    collections++;
                    paused = paused.plus(e.getDuration("sumOfPauses"));
                    Duration l = e.getDuration("longestPause");
                    longest = l.compareTo(longest) > 0 ? l : longest;
                    continue;
                }
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                total++;
                List<RecordedFrame> f = stack.getFrames();
                frames.merge(name(f.get(0)), 1, Integer::sum);
                RecordedThread t = e.getThread("sampledThread");
                String thread = t == null || t.getJavaName() == null ? "?" : t.getJavaName();
                threads.merge(THREAD_NUMBER.matcher(thread).replaceFirst(""), 1, Integer::sum);
                String own = "(none: JDK or library code only)";
                for (RecordedFrame frame : f) {
                    if (frame.getMethod() != null && frame.getMethod().getType().getName().startsWith(PROJECT)) {
                        own = name(frame);
                        break;
                    }
                }
                project.merge(own, 1, Integer::sum);
                for (String prefix : through) {
                    for (RecordedFrame frame : f) {
                        if (frame.getMethod() != null && frame.getMethod().getType().getName().startsWith(prefix)) {
                            within.merge(prefix, 1, Integer::sum);
                            break;
                        }
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %,d CPU samples in %.1f s; %d garbage collections, %.1f ms of pauses"
                + " in all, the longest %.1f ms (%s)%n%n", title, total, Duration.between(from, to).toMillis() / 1e3,
                collections, paused.toNanos() / 1e6, longest.toNanos() / 1e6, recording));
        if (total == 0) {
            return s.toString();
        }
        table(s, "top frame", frames, total, top);
        table(s, "thread", threads, total, top);
        table(s, "innermost io.switchboard frame", project, total, top);
        if (!within.isEmpty()) {
            s.append("| samples with a frame of | samples | share |\n|---|---:|---:|\n");
            for (Map.Entry<String, Integer> e : within.entrySet()) {
                s.append(String.format(Locale.ROOT, "| `%s*` | %,d | %.1f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / total));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String name(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void table(StringBuilder s, String heading, Map<String, Integer> counts, int total, int top) {
        s.append("| ").append(heading).append(" | samples | share |\n|---|---:|---:|\n");
        counts.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(top)
                .forEach(e -> s.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / total)));
        s.append('\n');
    }
}
