package io.switchboard.codec;

/**
 * A packet broke a rule of the protocol. Carries the reason code the peer is to be told and a
 * message for people; {@link #version()} is the protocol version if it was known when the rule
 * broke (it decides whether a 3.1.1-style or a 5.0-style refusal is sent). No stack trace: this is
 * a verdict on input, not a fault in the code.
 */
public final class MqttDecodeException extends RuntimeException {
    private final ReasonCode reasonCode;
    private final transient MqttVersion version;

    public MqttDecodeException(ReasonCode reasonCode, String message) {
        this(reasonCode, message, null);
    }

    public MqttDecodeException(ReasonCode reasonCode, String message, MqttVersion version) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
        this.version = version;
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The protocol version in force when the rule broke, or null if not yet known. */
    public MqttVersion version() {
        return version;
    }

    public MqttDecodeException withVersion(MqttVersion v) {
        return version == v ? this : new MqttDecodeException(reasonCode, getMessage(), v);
    }

    public static MqttDecodeException malformed(String message) {
        return new MqttDecodeException(ReasonCode.MALFORMED_PACKET, message);
    }

    public static MqttDecodeException protocolError(String message) {
        return new MqttDecodeException(ReasonCode.PROTOCOL_ERROR, message);
    }
}
