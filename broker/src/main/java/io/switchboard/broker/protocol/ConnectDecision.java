package io.switchboard.broker.protocol;

import io.switchboard.codec.ReasonCode;

/** What to do with a CONNECT: accept it with the negotiated parameters, or refuse it. */
public sealed interface ConnectDecision {

    /**
     * @param clientId the client id in force (assigned when the client sent none)
     * @param assigned whether the broker assigned it (5.0: sent as Assigned Client Identifier)
     * @param keepAliveSeconds the keep alive enforced; 0 for none
     * @param serverKeepAlive the Server Keep Alive to send (5.0), or null when the client's stands
     * @param sessionExpiry the Session Expiry Interval granted
     * @param sessionExpiryLowered whether it is lower than asked (5.0: sent in CONNACK)
     * @param receiveMaximum the client's Receive Maximum
     * @param maximumPacketSize the client's Maximum Packet Size
     * @param requestProblemInformation whether reason strings and user properties may be sent on acks
     * @param cleanStart Clean Start (3.1.1: Clean Session)
     * @param clientTopicAliasMaximum the topic aliases the client accepts from the broker (5.0); 0 for none
     * @param requestResponseInformation whether the client asked for Response Information (5.0)
     */
    record Accept(String clientId, boolean assigned, int keepAliveSeconds, Integer serverKeepAlive,
            long sessionExpiry, boolean sessionExpiryLowered, int receiveMaximum, long maximumPacketSize,
            boolean requestProblemInformation, boolean cleanStart, int clientTopicAliasMaximum,
            boolean requestResponseInformation) implements ConnectDecision {
    }

    /** Refuse with a CONNACK carrying this reason code and reason string. */
    record Refuse(ReasonCode reasonCode, String reason) implements ConnectDecision {
    }
}
