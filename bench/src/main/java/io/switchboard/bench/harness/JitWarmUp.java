package io.switchboard.bench.harness;

import io.switchboard.testkit.bench.ProcStats;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up after a broker starts: load in steps of {@value #STEP_SECONDS} s until the JIT compiler
 * threads of the broker and of this JVM have been quiet for a step (under {@value #QUIET_CORES}
 * cores), at least {@value #MIN_SECONDS} s, at most a given limit. A JVM on one core compiles for tens
 * of seconds, and meanwhile its compiler takes the core from the broker: figures measured then are
 * not the broker's.
 */
public final class JitWarmUp {
    public static final int STEP_SECONDS = 2;
    public static final int MIN_SECONDS = 6;
    public static final double QUIET_CORES = 0.02;

    private JitWarmUp() {
    }

    /** One step of load, about {@code nanos} long; returns false to end the warm-up (the load failed). */
    public interface Step {
        boolean run(long nanos) throws IOException, InterruptedException;
    }

    /**
     * How a warm-up ended.
     *
     * @param compilingCores CPU of the compiler threads of both JVMs in the last step, in cores; NaN
     *     without /proc (then the warm-up takes its whole limit)
     */
    public record Outcome(double seconds, double compilingCores, boolean quiet) {
        /** "JIT compilers 0.01 cores", with a warning when the limit came first. */
        public String describe() {
            return String.format(Locale.ROOT, "JIT compilers %.2f cores%s", compilingCores,
                    quiet ? "" : ", still compiling: the warm-up's time limit was reached");
        }
    }

    /**
     * Runs {@code step} until the compilers are quiet, for at most {@code maxSeconds}; null when
     * {@code maxSeconds} is 0 (no warm-up).
     */
    public static Outcome run(long brokerPid, int maxSeconds, Step step) throws IOException, InterruptedException {
        if (maxSeconds <= 0) {
            return null;
        }
        long self = ProcessHandle.current().pid();
        long started = System.nanoTime();
        while (true) {
            ProcStats brokerBefore = ProcStats.read(brokerPid);
            ProcStats selfBefore = ProcStats.read(self);
            boolean going = step.run(TimeUnit.SECONDS.toNanos(STEP_SECONDS));
            ProcStats brokerAfter = ProcStats.read(brokerPid);
            ProcStats selfAfter = ProcStats.read(self);
            double seconds = (System.nanoTime() - started) / 1e9;
            double compiling = brokerBefore == null || brokerAfter == null || selfBefore == null || selfAfter == null
                    ? Double.NaN // no /proc: the longest warm-up
                    : compiling(brokerAfter.since(brokerBefore)) + compiling(selfAfter.since(selfBefore));
            boolean quiet = compiling < QUIET_CORES && seconds >= MIN_SECONDS;
            if (quiet || seconds + STEP_SECONDS > maxSeconds || !going) {
                return new Outcome(seconds, compiling, quiet);
            }
        }
    }

    private static double compiling(ProcStats.Delta d) {
        return d.thread("C2 CompilerThre") + d.thread("C1 CompilerThre");
    }
}
