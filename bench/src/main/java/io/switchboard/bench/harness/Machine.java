package io.switchboard.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a benchmark report says about where it ran: the commit of the working tree, the JDK, the CPU
 * model, and the CPUs this process may run on (the script pins it with {@code taskset}).
 */
public final class Machine {
    private Machine() {
    }

    /** Now, to the second, as the reports' titles give it: "2026-12-06T10:15:30+00:00". */
    public static String stamp() {
        return ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** A report's file name from its {@link #stamp}: "results-2026-12-06-101530.md". */
    public static String reportName(String stamp) {
        return "results-" + stamp.replaceAll("[:+]", "").replace('T', '-').substring(0, 17) + ".md";
    }

    /** "JDK 17.0.15+6 (OpenJDK 64-Bit Server VM), 1 core(s) visible, Linux 6.18, AMD EPYC ...". */
    public static String jdkAndCpu() {
        return String.format(Locale.ROOT, "JDK %s (%s), %d core(s) visible to this JVM, %s %s, %s",
                System.getProperty("java.vm.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), cpuModel());
    }

    /** This JVM's options, as given on its command line. */
    public static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /** The commit of the working tree ({@code git rev-parse}), "+ uncommitted changes" when it differs from it. */
    public static String commit() {
        String head = command("git", "rev-parse", "--short=12", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown (not a git working tree)";
        }
        String changes = command("git", "status", "--porcelain", "--untracked-files=no");
        return head.strip() + (changes == null || changes.isBlank() ? "" : " + uncommitted changes");
    }

    /** The CPUs this process may run on, from /proc/self/status ("0-1"), or "?". */
    public static String affinity() {
        return procLine(Path.of("/proc/self/status"), "Cpus_allowed_list:");
    }

    public static String cpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name");
    }

    private static String procLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
