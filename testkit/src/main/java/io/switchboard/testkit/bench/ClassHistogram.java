package io.switchboard.testkit.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of a JVM by class, as {@code jcmd <pid> GC.class_histogram} prints them. Without
 * {@code -all} that command runs a full GC first, so the figures are the live heap, not garbage.
 *
 * @param classes instances and bytes by class name (hidden-class suffixes such as {@code /0x...} removed)
 * @param totalBytes the histogram's total: every live object on the heap
 */
record ClassHistogram(Map<String, Entry> classes, long totalInstances, long totalBytes) {

    /** One line: a class, its live instances and their shallow size in bytes. */
    record Entry(String className, long instances, long bytes) {
    }

    /** One class's change between two histograms. */
    record Delta(String className, long instances, long bytes) {
    }

    //    1:         12345        1234567  [B (java.base@17.0.15)
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    // Total        123456       12345678
    private static final Pattern TOTAL = Pattern.compile("^\\s*Total\\s+(\\d+)\\s+(\\d+)\\s*$");
    // A lambda or other hidden class: io.x.Session$$Lambda$123/0x0000000800c4b000
    private static final Pattern HIDDEN_SUFFIX = Pattern.compile("/0x[0-9a-fA-F]+$");

    static ClassHistogram parse(String text) {
        Map<String, Entry> classes = new LinkedHashMap<>();
        long totalInstances = -1;
        long totalBytes = -1;
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                String name = HIDDEN_SUFFIX.matcher(m.group(3)).replaceFirst("");
                long instances = Long.parseLong(m.group(1));
                long bytes = Long.parseLong(m.group(2));
                classes.merge(name, new Entry(name, instances, bytes),
                        (a, b) -> new Entry(name, a.instances() + b.instances(), a.bytes() + b.bytes()));
                continue;
            }
            Matcher t = TOTAL.matcher(line);
            if (t.matches()) {
                totalInstances = Long.parseLong(t.group(1));
                totalBytes = Long.parseLong(t.group(2));
            }
        }
        if (totalBytes < 0 || classes.isEmpty()) {
            throw new IllegalStateException("not a class histogram (no 'Total' line):\n" + text);
        }
        return new ClassHistogram(Collections.unmodifiableMap(classes), totalInstances, totalBytes);
    }

    /** Live instances of one class, 0 when it has none. */
    long instances(String className) {
        Entry e = classes.get(className);
        return e == null ? 0 : e.instances();
    }

    /** What changed from {@code before} to this histogram, largest growth in bytes first. */
    List<Delta> minus(ClassHistogram before) {
        Set<String> names = new HashSet<>(classes.keySet());
        names.addAll(before.classes.keySet());
        List<Delta> deltas = new ArrayList<>();
        for (String name : names) {
            Entry now = classes.getOrDefault(name, new Entry(name, 0, 0));
            Entry then = before.classes.getOrDefault(name, new Entry(name, 0, 0));
            if (now.bytes() != then.bytes() || now.instances() != then.instances()) {
                deltas.add(new Delta(name, now.instances() - then.instances(), now.bytes() - then.bytes()));
            }
        }
        deltas.sort(Comparator.comparingLong(Delta::bytes).reversed().thenComparing(Delta::className));
        return deltas;
    }
}
