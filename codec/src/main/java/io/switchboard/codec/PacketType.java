package io.switchboard.codec;

/**
 * The MQTT control packet types with the fixed-header flags each must carry.
 * PUBLISH is the only type whose flags vary; its flags are checked by its decoder.
 */
public enum PacketType {
    CONNECT(1, 0b0000),
    CONNACK(2, 0b0000),
    PUBLISH(3, -1),
    PUBACK(4, 0b0000),
    PUBREC(5, 0b0000),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0b0000),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0b0000),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0b0000),
    PINGREQ(12, 0b0000),
    PINGRESP(13, 0b0000),
    DISCONNECT(14, 0b0000),
    /** 5.0 only. */
    AUTH(15, 0b0000);

    private static final PacketType[] BY_CODE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int requiredFlags;

    PacketType(int code, int requiredFlags) {
        this.code = code;
        this.requiredFlags = requiredFlags;
    }

    public int code() {
        return code;
    }

    /** The fixed-header flags this type must carry, or -1 when they vary (PUBLISH). */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** The type for a 4-bit code, or null for the reserved code 0. */
    public static PacketType of(int code) {
        return BY_CODE[code & 0x0F];
    }
}
