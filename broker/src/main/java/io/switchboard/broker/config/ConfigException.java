package io.switchboard.broker.config;

/** A configuration that cannot be used; the message names the key, the bad value and what is allowed. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public static ConfigException badValue(String key, Object value, String allowed) {
        return new ConfigException("invalid value '" + value + "' for '" + key + "': " + allowed);
    }
}
