package io.switchboard.admin.console;

import io.switchboard.testkit.EmbeddedBroker;

/** The console as the browser tests reach it: on the broker's own HTTP listener, at /console/. */
final class Console {
    /**
     * A broker with a TCP listener (for the tests' own MQTT clients), a WebSocket listener (for the
     * console's) and the HTTP listener, each on a free loopback port; no users, so whoever reaches the
     * HTTP listener (this machine only) is admin.
     */
    static final String LOCAL = """
            listeners:
              - {name: default, port: 0}
              - {name: ws, type: ws, port: 0}
            http: {port: 0}
            """;

    private Console() {
    }

    /** The URL of the console at a hash route, e.g. {@code #/test-client}. */
    static String url(EmbeddedBroker broker, String hash) {
        return "http://127.0.0.1:" + broker.broker().httpPort() + "/console/" + hash;
    }
}
