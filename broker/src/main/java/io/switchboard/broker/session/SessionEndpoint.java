package io.switchboard.broker.session;

import io.netty.channel.EventLoop;
import io.switchboard.broker.auth.ClientIdentity;
import io.switchboard.codec.ReasonCode;
import io.switchboard.broker.message.QueuedMessage;
import io.switchboard.codec.packet.Will;

/**
 * What a session needs of the network connection attached to it. Implemented by the protocol
 * layer; every method is called on the connection's event loop.
 */
public interface SessionEndpoint {

    EventLoop eventLoop();

    /**
     * Sends a PUBLISH. Returns false when the message was not sent because it is larger than the
     * client's Maximum Packet Size (it then counts as delivered, [MQTT-3.1.2-25]).
     */
    boolean sendPublish(QueuedMessage message, int packetId, boolean dup);

    /** Sends a PUBREL for a QoS 2 message the client has received. */
    void sendPubrel(int packetId, boolean packetIdFound);

    /** How many QoS 1/2 messages may be in flight towards the client. */
    int sendQuota();

    /** Flushes what was written. */
    void flush();

    /** The session was attached: send CONNACK and start serving. */
    void attached(Session session, boolean sessionPresent);

    /**
     * Another connection took the session over: close this one ([MQTT-3.1.4-3]) and return its Will
     * Message, or null, for the session to publish.
     */
    Will takenOver();

    String clientId();

    /**
     * The connection as an operator sees it (the admin API). Any thread, once the session is attached:
     * built from what the connection set before it was attached.
     */
    ConnectionInfo info();

    /**
     * Closes the connection because the broker decided so (an operator): DISCONNECT with
     * {@code reasonCode} and {@code reason} in 5.0, a close in 3.1.1; the Will is published.
     */
    void disconnect(ReasonCode reasonCode, String reason);

    /** Who the client authenticated as. */
    ClientIdentity identity();

    /**
     * The policy changed: decide this connected client again (its identity and rights), and
     * disconnect it when it is no longer let in. Returns false when it was disconnected.
     */
    boolean reauthorize();

    /**
     * The session refused this connection before CONNACK (it belongs to another authentication
     * name): close it with CONNACK {@code reasonCode} and {@code reason}.
     */
    void refused(ReasonCode reasonCode, String reason);
}
