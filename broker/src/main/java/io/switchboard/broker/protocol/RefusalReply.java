package io.switchboard.broker.protocol;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.property.Properties;

/**
 * What the broker sends when it closes a connection because of a reason code ([MQTT-4.13.1-1]): a
 * rule as a value, tested without a socket.
 */
final class RefusalReply {
    private RefusalReply() {
    }

    /**
     * Before CONNACK a refusing CONNACK (5.0, or the 3.1.1 return codes that exist); after it a
     * DISCONNECT in 5.0 (an error code DISCONNECT cannot carry becomes 0x80); in 3.1.1, or before the
     * version is known, nothing: the connection is just closed.
     *
     * @param reasonString the Reason String property (5.0), or empty
     */
    static MqttPacket of(MqttVersion version, boolean beforeConnack, ReasonCode reasonCode, Properties reasonString) {
        if (version == null) {
            return null;
        }
        if (beforeConnack) {
            if (version.isV5() && reasonCode.allowedIn(PacketType.CONNACK)) {
                return new ConnackPacket(false, reasonCode, reasonString);
            }
            return !version.isV5() && hasReturnCode(reasonCode) ? new ConnackPacket(false, reasonCode, Properties.EMPTY)
                    : null;
        }
        if (!version.isV5()) {
            return null;
        }
        ReasonCode code = reasonCode.allowedIn(PacketType.DISCONNECT) ? reasonCode : ReasonCode.UNSPECIFIED_ERROR;
        return new DisconnectPacket(code, reasonString);
    }

    /** The 3.1.1 Connect Return Codes 1 to 5. */
    private static boolean hasReturnCode(ReasonCode rc) {
        return switch (rc) {
            case UNSUPPORTED_PROTOCOL_VERSION, CLIENT_IDENTIFIER_NOT_VALID, SERVER_UNAVAILABLE,
                    BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED -> true;
            default -> false;
        };
    }
}
