package io.switchboard.broker.config;

import java.util.List;

/**
 * One listener: a name (for logs and events), its kind, the address to bind, and its own bounds.
 *
 * @param name listener name, default {@code default}
 * @param type {@code tcp} (default), {@code tls}, {@code ws} (WebSocket) or {@code wss} (WebSocket over TLS)
 * @param host address to bind, default {@code 127.0.0.1} (loopback only, as Mosquitto 2 without a config)
 * @param port TCP port (0 picks a free one); default 1883 (tcp), 8883 (tls), 8083 (ws), 8084 (wss)
 * @param path the WebSocket path (ws, wss), default {@code /mqtt}
 * @param tls TLS settings, required for tls and wss and not allowed otherwise
 * @param maxConnections open connections at most; beyond it new ones are closed at once; 0 (default) for no bound
 * @param maxPendingConnects connections that have not yet sent CONNECT at most (they have
 *     {@code mqtt.connectTimeoutSeconds} to do so); beyond it new ones are closed at once; default 1000
 * @param maxConnectionRate new connections accepted per second at most (a client that connects
 *     and disconnects in a loop cannot starve others); 0 (default) for no bound
 */
public record ListenerConfig(String name, String type, String host, Integer port, String path, TlsConfig tls,
        Integer maxConnections, Integer maxPendingConnects, Integer maxConnectionRate) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 1883;
    public static final List<String> TYPES = List.of("tcp", "tls", "ws", "wss");

    public ListenerConfig {
        name = name == null ? "default" : name;
        type = type == null ? "tcp" : type;
        if (!TYPES.contains(type)) {
            throw ConfigException.badValue("listeners[" + name + "].type", type, "one of " + TYPES);
        }
        host = host == null ? DEFAULT_HOST : host;
        if (host.isBlank()) {
            throw ConfigException.badValue("listeners[" + name + "].host", host, "a host name or IP address");
        }
        int defaultPort = switch (type) {
            case "tls" -> 8883;
            case "ws" -> 8083;
            case "wss" -> 8084;
            default -> DEFAULT_PORT;
        };
        port = Check.range("listeners[" + name + "].port", port, defaultPort, 0, 65_535);
        path = path == null ? "/mqtt" : path;
        if (!path.startsWith("/")) {
            throw ConfigException.badValue("listeners[" + name + "].path", path, "a path starting with '/'");
        }
        boolean secure = type.equals("tls") || type.equals("wss");
        if (secure && tls == null) {
            throw new ConfigException("listeners[" + name + "]: a '" + type
                    + "' listener needs a 'tls' section (certificate, key)");
        }
        if (!secure && tls != null) {
            throw new ConfigException("listeners[" + name + "]: a '" + type
                    + "' listener takes no 'tls' section; use type tls or wss");
        }
        maxConnections = Check.range("listeners[" + name + "].maxConnections", maxConnections, 0, 0,
                Integer.MAX_VALUE);
        maxPendingConnects = Check.range("listeners[" + name + "].maxPendingConnects", maxPendingConnects, 1000, 1,
                Integer.MAX_VALUE);
        maxConnectionRate = Check.range("listeners[" + name + "].maxConnectionRate", maxConnectionRate, 0, 0,
                Integer.MAX_VALUE);
    }

    /** A plain TCP listener. */
    public static ListenerConfig tcp(String name, String host, int port) {
        return new ListenerConfig(name, "tcp", host, port, null, null, null, null, null);
    }

    public static ListenerConfig defaults() {
        return new ListenerConfig(null, null, null, null, null, null, null, null, null);
    }

    public boolean secure() {
        return tls != null;
    }

    public boolean webSocket() {
        return type.equals("ws") || type.equals("wss");
    }

    public ListenerConfig withHost(String h) {
        return new ListenerConfig(name, type, h, port, path, tls, maxConnections, maxPendingConnects,
                maxConnectionRate);
    }

    public ListenerConfig withPort(int p) {
        return new ListenerConfig(name, type, host, p, path, tls, maxConnections, maxPendingConnects,
                maxConnectionRate);
    }
}
