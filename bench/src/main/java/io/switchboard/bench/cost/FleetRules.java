package io.switchboard.bench.cost;

import java.util.Locale;

/**
 * The rules file of the rules-cost benchmark: {@code count} rules a fleet might have, none of whose
 * {@code FROM} filters matches the load's topics ({@code devices/<listener>/inbox/<talker>}), and
 * one probe rule that tells the benchmark the rules are in force. The non-matching rules are of three
 * kinds, in turns, so that the cost measured is that of the rule tree at each depth:
 *
 * <ul>
 *   <li>{@code factory/line-N/#}: a first level the load never uses, turned away at the first level;
 *   <li>{@code devices/+/telemetry/sensor-N}: the load's first level, walked to its second;
 *   <li>{@code devices/+/inbox/service-N}: walked to the third level, missing at the fourth.
 * </ul>
 *
 * Each selects three fields with a {@code WHERE} on one and republishes what passes: what a rule
 * costs if it ran is not what is measured, only what it costs not to run it.
 */
public final class FleetRules {
    static final String PROBE_IN = "bench/rules-probe/in";
    static final String PROBE_OUT = "bench/rules-probe/out";

    private final int count;

    public FleetRules(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("rules: at least 1");
        }
        this.count = count;
    }

    int count() {
        return count;
    }

    /** The filter of non-matching rule {@code k}. */
    static String filter(int k) {
        return switch (k % 3) {
            case 0 -> String.format(Locale.ROOT, "factory/line-%04d/#", k);
            case 1 -> String.format(Locale.ROOT, "devices/+/telemetry/sensor-%04d", k);
            default -> String.format(Locale.ROOT, "devices/+/inbox/service-%04d", k);
        };
    }

    public String yaml() {
        StringBuilder y = new StringBuilder(count * 200);
        y.append("# rules-cost: ").append(count).append(" rules none of whose filters matches the load, and the probe\n");
        y.append("rules:\n");
        y.append("  - name: probe\n");
        y.append("    sql: \"SELECT * FROM '").append(PROBE_IN).append("'\"\n");
        y.append("    actions:\n");
        y.append("      - republish: {topic: '").append(PROBE_OUT).append("', qos: 0}\n");
        for (int k = 0; k < count; k++) {
            y.append(String.format(Locale.ROOT, "  - name: fleet-%04d%n", k));
            y.append("    sql: \"SELECT temp, humidity, topic(2) AS device FROM '").append(filter(k))
                    .append("' WHERE temp > 30\"\n");
            y.append("    actions:\n");
            y.append(String.format(Locale.ROOT, "      - republish: {topic: 'alerts/${topic(2)}/fleet-%04d', qos: 1}%n", k));
        }
        return y.toString();
    }

    String describe() {
        return String.format(Locale.ROOT, "%,d rules not matching the load (filters factory/line-N/#,"
                + " devices/+/telemetry/sensor-N, devices/+/inbox/service-N in turns; SELECT temp, humidity, topic(2)"
                + " ... WHERE temp > 30, republish) and the probe rule (%s to %s)", count, PROBE_IN, PROBE_OUT);
    }
}
