package io.switchboard.broker.config;

/** Range checks for configuration records, failing with the key's name. */
final class Check {
    private Check() {
    }

    static int range(String key, Integer value, int dflt, long min, long max) {
        return (int) range(key, value == null ? null : value.longValue(), dflt, min, max);
    }

    static long range(String key, Long value, long dflt, long min, long max) {
        long v = value == null ? dflt : value;
        if (v < min || v > max) {
            throw ConfigException.badValue(key, v, "allowed " + min + ".." + max);
        }
        return v;
    }
}
