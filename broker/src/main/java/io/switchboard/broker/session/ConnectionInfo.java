package io.switchboard.broker.session;

/**
 * A connected client's connection as an operator sees it (the admin API): built on demand from
 * what the connection holds anyway, so it costs no memory per connection.
 *
 * @param protocolVersion 3 (MQTT 3.1), 4 (3.1.1) or 5
 * @param authenticationName who the client authenticated as: its user name, certificate name, or
 *     what an authenticator established; null when anonymous
 * @param remoteAddress the client's address and port
 * @param listener the listener it connected to
 * @param connectedAtMillis when CONNACK was sent (wall clock)
 * @param keepAliveSeconds the Keep Alive in force
 * @param cleanStart the CONNECT's Clean Start (3.1.1: Clean Session)
 */
public record ConnectionInfo(int protocolVersion, String authenticationName, String remoteAddress, String listener,
        long connectedAtMillis, int keepAliveSeconds, boolean cleanStart) {
}
