package io.switchboard.broker.protocol;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;

/** Told when clients connect and disconnect (for presence events); called on the connection's event loop. */
public interface ClientEvents {

    /** Ignores every event. */
    ClientEvents NONE = new ClientEvents() {
        @Override
        public void connected(Client client) {
        }

        @Override
        public void disconnected(Client client, ReasonCode reasonCode, String reason, long disconnectedAtMillis) {
        }
    };

    /**
     * A connected client.
     *
     * @param remoteAddress the client's address and port as text
     * @param connectedAtMillis when CONNACK was sent (wall clock)
     */
    record Client(String clientId, MqttVersion version, String remoteAddress, String listener, boolean cleanStart,
            long sessionExpiryInterval, long connectedAtMillis) {
    }

    /** CONNACK 0x00 was sent. */
    void connected(Client client);

    /**
     * A connected client's connection ended: {@code reasonCode} is what the client sent in its
     * DISCONNECT (0x00 or 0x04), what the broker sent or closed with, or null when the connection
     * was lost without one.
     */
    void disconnected(Client client, ReasonCode reasonCode, String reason, long disconnectedAtMillis);
}
