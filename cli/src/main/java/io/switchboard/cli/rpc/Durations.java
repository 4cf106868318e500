package io.switchboard.cli.rpc;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads {@code 10}, {@code 10s}, {@code 500ms}, {@code 2m}: a number of seconds unless a unit says otherwise. */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "': expected a duration such as 10, 10s, 500ms,"
                    + " 2m or 1h (a number alone is seconds)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
        if (millis < 1) {
            throw new CommandLine.TypeConversionException("'" + value + "': must be at least 1 ms");
        }
        return Duration.ofMillis((long) millis);
    }
}
