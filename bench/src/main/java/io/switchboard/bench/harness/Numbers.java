package io.switchboard.bench.harness;

/** Whole-number option values of the benchmarks' command lines, refused with the option's name. */
public final class Numbers {
    private Numbers() {
    }

    /** {@code value} as a whole number above 0. */
    public static int positive(String option, String value) {
        int v = notNegative(option, value);
        if (v == 0) {
            throw new IllegalArgumentException(option + " " + value + ": must be positive");
        }
        return v;
    }

    /** {@code value} as a whole number, 0 or more. */
    public static int notNegative(String option, String value) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + value + ": not a whole number");
        }
        if (v < 0) {
            throw new IllegalArgumentException(option + " " + value + ": must not be negative");
        }
        return v;
    }
}
