package io.switchboard.broker.config;

/**
 * One MQTT listener: a name (for logs), the address to bind and the TCP port (0 picks a free one).
 *
 * @param name listener name, default {@code default}
 * @param host address to bind, default {@code 127.0.0.1} (loopback only, as Mosquitto 2 without a config)
 * @param port TCP port, default 1883
 */
public record ListenerConfig(String name, String host, Integer port) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 1883;

    public ListenerConfig {
        name = name == null ? "default" : name;
        host = host == null ? DEFAULT_HOST : host;
        if (host.isBlank()) {
            throw ConfigException.badValue("listeners[].host", host, "a host name or IP address");
        }
        port = Check.range("listeners[" + name + "].port", port, DEFAULT_PORT, 0, 65_535);
    }

    public static ListenerConfig defaults() {
        return new ListenerConfig(null, null, null);
    }

    public ListenerConfig withHost(String h) {
        return new ListenerConfig(name, h, port);
    }

    public ListenerConfig withPort(int p) {
        return new ListenerConfig(name, host, p);
    }
}
