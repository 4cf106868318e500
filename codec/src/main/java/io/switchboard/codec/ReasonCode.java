package io.switchboard.codec;

import static io.switchboard.codec.PacketType.AUTH;
import static io.switchboard.codec.PacketType.CONNACK;
import static io.switchboard.codec.PacketType.DISCONNECT;
import static io.switchboard.codec.PacketType.PUBACK;
import static io.switchboard.codec.PacketType.PUBCOMP;
import static io.switchboard.codec.PacketType.PUBREC;
import static io.switchboard.codec.PacketType.PUBREL;
import static io.switchboard.codec.PacketType.SUBACK;
import static io.switchboard.codec.PacketType.UNSUBACK;

import java.util.EnumSet;
import java.util.Set;

/**
 * MQTT 5.0 reason codes (section 2.4) with the packets each may appear in. Several codes share a
 * value (0x00 is Success, Normal disconnection and Granted QoS 0); {@link #of(PacketType, int)}
 * resolves a value in the context of a packet and refuses a value that packet may not carry.
 */
public enum ReasonCode {
    SUCCESS(0x00, "Success", CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
    NORMAL_DISCONNECTION(0x00, "Normal disconnection", DISCONNECT),
    GRANTED_QOS_0(0x00, "Granted QoS 0", SUBACK),
    GRANTED_QOS_1(0x01, "Granted QoS 1", SUBACK),
    GRANTED_QOS_2(0x02, "Granted QoS 2", SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, "Disconnect with Will Message", DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, "No matching subscribers", PUBACK, PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, "No subscription existed", UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, "Continue authentication", AUTH),
    RE_AUTHENTICATE(0x19, "Re-authenticate", AUTH),
    UNSPECIFIED_ERROR(0x80, "Unspecified error", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    MALFORMED_PACKET(0x81, "Malformed Packet", CONNACK, DISCONNECT),
    PROTOCOL_ERROR(0x82, "Protocol Error", CONNACK, DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, "Implementation specific error",
            CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, "Unsupported Protocol Version", CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, "Client Identifier not valid", CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, "Bad User Name or Password", CONNACK),
    NOT_AUTHORIZED(0x87, "Not authorized", CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    SERVER_UNAVAILABLE(0x88, "Server unavailable", CONNACK),
    SERVER_BUSY(0x89, "Server busy", CONNACK, DISCONNECT),
    BANNED(0x8A, "Banned", CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, "Server shutting down", DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, "Bad authentication method", CONNACK, DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, "Keep Alive timeout", DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, "Session taken over", DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, "Topic Filter invalid", SUBACK, UNSUBACK, DISCONNECT),
    TOPIC_NAME_INVALID(0x90, "Topic Name invalid", CONNACK, PUBACK, PUBREC, DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, "Packet Identifier in use", PUBACK, PUBREC, SUBACK, UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, "Packet Identifier not found", PUBREL, PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, "Receive Maximum exceeded", DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, "Topic Alias invalid", DISCONNECT),
    PACKET_TOO_LARGE(0x95, "Packet too large", CONNACK, DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, "Message rate too high", DISCONNECT),
    QUOTA_EXCEEDED(0x97, "Quota exceeded", CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, "Administrative action", DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, "Payload format invalid", CONNACK, PUBACK, PUBREC, DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, "Retain not supported", CONNACK, DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, "QoS not supported", CONNACK, DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, "Use another server", CONNACK, DISCONNECT),
    SERVER_MOVED(0x9D, "Server moved", CONNACK, DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, "Shared Subscriptions not supported", SUBACK, DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, "Connection rate exceeded", CONNACK, DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, "Maximum connect time", DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, "Subscription Identifiers not supported", SUBACK, DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, "Wildcard Subscriptions not supported", SUBACK, DISCONNECT);

    private static final ReasonCode[][] BY_PACKET = new ReasonCode[16][256];

    static {
        for (ReasonCode rc : values()) {
            for (PacketType t : rc.packets) {
                BY_PACKET[t.code()][rc.value] = rc;
            }
        }
    }

    private final int value;
    private final String description;
    private final Set<PacketType> packets;

    ReasonCode(int value, String description, PacketType first, PacketType... rest) {
        this.value = value;
        this.description = description;
        this.packets = EnumSet.of(first, rest);
    }

    /** The byte on the wire. */
    public int value() {
        return value;
    }

    public String description() {
        return description;
    }

    /** True for 0x80 and above: the request failed. */
    public boolean isError() {
        return value >= 0x80;
    }

    public boolean allowedIn(PacketType type) {
        return packets.contains(type);
    }

    /**
     * The reason code that a value means in a packet type.
     *
     * @throws MqttDecodeException (Protocol Error) when the packet may not carry that value
     */
    public static ReasonCode of(PacketType type, int value) {
        ReasonCode rc = BY_PACKET[type.code()][value & 0xFF];
        if (rc == null) {
            throw MqttDecodeException.protocolError(String.format(
                    "reason code 0x%02X is not valid in %s", value & 0xFF, type));
        }
        return rc;
    }

    /** The SUBACK code granting a QoS. */
    public static ReasonCode grantedQos(int qos) {
        return switch (qos) {
            case 0 -> GRANTED_QOS_0;
            case 1 -> GRANTED_QOS_1;
            case 2 -> GRANTED_QOS_2;
            default -> throw new IllegalArgumentException("QoS " + qos);
        };
    }

    @Override
    public String toString() {
        return String.format("0x%02X %s", value, description);
    }
}
