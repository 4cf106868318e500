package io.switchboard.bench.cost;

import io.switchboard.bench.cost.FeatureCost.Cell;
import io.switchboard.bench.cost.FeatureCostOptions.Setup;
import io.switchboard.bench.harness.JfrTop;
import io.switchboard.testkit.bench.ProcStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report of {@link FeatureCost}: each line printed as it comes and kept for the report file; at
 * the end each measured phase, the medians, each setup's target against its baseline, and the
 * profiles of the broker.
 */
final class CostReport {
    /** "Other CPU" above this during a measured phase: the machine was not quiet, the figure is suspect. */
    static final double NOISY_CORES = 0.10;

    /** A JFR recording of the broker over one measured phase. */
    record Profile(String title, Path file, Instant from, Instant to) {
    }

    private final PrintStream out;
    private final FeatureCostOptions options;
    private final StringBuilder report = new StringBuilder();

    CostReport(PrintStream out, FeatureCostOptions options) {
        this.out = out;
        this.options = options;
    }

    String text() {
        return report.toString();
    }

    static String problems(PairTraffic.Phase p) {
        return String.format(Locale.ROOT, "%,d denied (PUBACK 0x87), %,d other PUBACK reason codes, %,d written and"
                + " never delivered%s", p.denied(), p.otherAcks(), p.undelivered(),
                p.firstProblem() == null ? "" : "; the first: " + p.firstProblem());
    }


    /** Each run, the summary, each setup's target, and the profiles. */
    void summary(List<Cell> cells, List<Profile> profiles) throws IOException {
        line("");
        line("## Each run");
        line("");
        line("msg/s: messages delivered to the listeners in the measured time, per second. Pairs: the fewest and the"
                + " most one pair delivered. CPU: cores used in the measured time (1.00 = a whole core) by the broker,"
                + " by the load (this JVM), and by everything else on the machine (the noise); a phase where the noise"
                + " was above " + NOISY_CORES + " cores is measured again (attempt: the quietest, which counts). Denied:"
                + " PUBACK 0x87 (and any other reason code);"
                + " undelivered: written, not refused, and not received when the phase ended; audit: the broker's"
                + " log lines of denials.");
        line("");
        line("| setup | QoS | run | msg/s | pairs | broker CPU | load CPU | other CPU | attempt | denied | undelivered | audit |");
        line("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Cell c : cells) {
            PairTraffic.Phase p = c.phase();
            line("| %s | %d | %d | %,.0f | %,d-%,d | %s | %s | %s | %d | %,d | %,d | %d |", c.setup().key, c.qos(), c.run(),
                    p.perSecond(), p.slowestPair(), p.fastestPair(), cores(p.broker()), cores(p.generator()), other(p),
                    c.attempt(), p.denied() + p.otherAcks(), p.undelivered(), c.auditLines());
        }
        line("");
        line("## Summary%s", options.runs() > 1 ? " (median of " + options.runs() + " runs)" : "");
        line("");
        line("| setup | QoS | msg/s | range | broker CPU | load CPU | other CPU |");
        line("|---|---:|---:|---|---:|---:|---:|");
        for (int qos : options.qos()) {
            for (Setup s : options.setups()) {
                List<Cell> these = these(cells, s, qos);
                if (these.isEmpty()) {
                    continue;
                }
                line("| %s | %d | %,.0f | %,.0f-%,.0f | %.2f | %.2f | %.2f |", s.key, qos, median(these, PairTraffic.Phase::perSecond),
                        min(these), max(these), median(these, p -> p.broker() == null ? Double.NaN : p.broker().cores()),
                        median(these, p -> p.generator() == null ? Double.NaN : p.generator().cores()),
                        median(these, CostReport::otherCores));
            }
        }
        line("");
        targets(cells);
        if (!profiles.isEmpty()) {
            line("");
            line("## Profiles of the broker (JFR: CPU samples of threads running Java code, every millisecond)");
            line("");
            for (Profile p : profiles) {
                String s = JfrTop.summarize(p.file, p.from, p.to, p.title, 15,
                        List.of("io.switchboard.security.", "io.switchboard.broker.auth.", "io.switchboard.rules."));
                out.print(s);
                report.append(s);
            }
        }
    }

    /** The target of each setup but allow-all at each QoS: its median at least its share of allow-all's, every message delivered. */
    private void targets(List<Cell> cells) {
        for (Setup setup : options.setups()) {
            if (setup.baseline() != null) {
                target(cells, setup);
            }
        }
        long noisy = cells.stream().filter(c -> otherCores(c.phase()) > NOISY_CORES).count();
        if (noisy > 0) {
            line("Note: in %d of %d measured phases the rest of the machine used more than %.2f cores (\"other CPU\"):"
                    + " those figures are suspect.", noisy, cells.size(), NOISY_CORES);
        }
        for (Cell c : cells) {
            if (!c.phase().clean() || c.auditLines() > 0) {
                line("");
                line("WARNING: %s, QoS %d, run %d: %s; %d audit log line(s) of denials", c.setup().key, c.qos(), c.run(),
                        problems(c.phase()), c.auditLines());
            }
        }
    }

    private void target(List<Cell> cells, Setup setup) {
        Setup base = setup.baseline();
        line("## Target: the %s setup's throughput at least %d %% of %s's", setup.key, setup.targetPercent, base.key);
        line("");
        if (!options.setups().contains(base)) {
            line("Not measured: it needs %s too (--setups %s,%s).", base.key, base.key, setup.key);
            return;
        }
        line("| QoS | %s msg/s | %s msg/s | ratio | per run | target | |", base.key, setup.key);
        line("|---:|---:|---:|---:|---|---:|---|");
        for (int qos : options.qos()) {
            List<Cell> open = these(cells, base, qos);
            List<Cell> other = these(cells, setup, qos);
            double a = median(open, PairTraffic.Phase::perSecond);
            double p = median(other, PairTraffic.Phase::perSecond);
            double ratio = p / a;
            List<String> perRun = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                Cell x = find(open, run);
                Cell y = find(other, run);
                if (x != null && y != null) {
                    boolean noisy = otherCores(x.phase()) > NOISY_CORES || otherCores(y.phase()) > NOISY_CORES;
                    perRun.add(String.format(Locale.ROOT, "%.0f %%%s", 100 * y.phase().perSecond() / x.phase().perSecond(),
                            noisy ? " (noisy)" : ""));
                }
            }
            boolean clean = cells.stream().filter(c -> c.qos() == qos && (c.setup() == setup || c.setup() == base))
                    .allMatch(c -> c.phase().clean() && c.auditLines() == 0);
            String verdict = !clean ? "**not valid**: messages were denied or not delivered (see above)"
                    : ratio * 100 >= setup.targetPercent ? "**met**" : "**missed**";
            line("| %d | %,.0f | %,.0f | %.0f %% | %s | ≥ %d %% | %s |", qos, a, p, 100 * ratio, String.join(" · ", perRun),
                    setup.targetPercent, verdict);
        }
        line("");
    }

    private static List<Cell> these(List<Cell> cells, Setup setup, int qos) {
        return cells.stream().filter(c -> c.setup() == setup && c.qos() == qos).toList();
    }

    private static Cell find(List<Cell> cells, int run) {
        return cells.stream().filter(c -> c.run() == run).findFirst().orElse(null);
    }

    private static double median(List<Cell> cells, ToDoubleFunction<PairTraffic.Phase> f) {
        double[] v = cells.stream().mapToDouble(c -> f.applyAsDouble(c.phase())).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Cell> cells) {
        return cells.stream().mapToDouble(c -> c.phase().perSecond()).min().orElse(Double.NaN);
    }

    private static double max(List<Cell> cells) {
        return cells.stream().mapToDouble(c -> c.phase().perSecond()).max().orElse(Double.NaN);
    }

    /** CPU time of every other process of the machine (and the kernel's, and steal), in cores: the noise. */
    static double otherCores(PairTraffic.Phase p) {
        if (p.broker() == null || p.generator() == null) {
            return Double.NaN;
        }
        return Math.max(0, p.broker().machineCores() - p.broker().cores() - p.generator().cores()) + p.broker().machineSteal();
    }

    static String other(PairTraffic.Phase p) {
        double o = otherCores(p);
        return Double.isNaN(o) ? "-" : String.format(Locale.ROOT, "%.2f", o);
    }

    static String cores(ProcStats.Delta d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d.cores());
    }

    void line(String format, Object... values) {
        String s = values.length == 0 ? format : String.format(Locale.ROOT, format, values);
        out.println(s);
        report.append(s).append('\n');
    }
}
