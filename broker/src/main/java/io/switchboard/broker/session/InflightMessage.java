package io.switchboard.broker.session;

import io.switchboard.broker.message.QueuedMessage;

/**
 * A QoS 1 or 2 message sent to a client and not yet acknowledged.
 *
 * @param released true once PUBREC came back and PUBREL was sent (QoS 2, waiting for PUBCOMP)
 */
record InflightMessage(int packetId, QueuedMessage message, boolean released) {

    InflightMessage release() {
        return new InflightMessage(packetId, message, true);
    }
}
