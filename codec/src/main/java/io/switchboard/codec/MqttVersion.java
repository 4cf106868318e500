package io.switchboard.codec;

/** The protocol versions Switchboard speaks, by their CONNECT protocol level. */
public enum MqttVersion {
    /** MQTT 3.1, protocol name {@code MQIsdp}: accepted as Mosquitto does and treated as 3.1.1 on the wire. */
    V3_1("MQIsdp", 3),
    V3_1_1("MQTT", 4),
    V5("MQTT", 5);

    private final String protocolName;
    private final int level;

    MqttVersion(String protocolName, int level) {
        this.protocolName = protocolName;
        this.level = level;
    }

    public String protocolName() {
        return protocolName;
    }

    public int level() {
        return level;
    }

    /** True for 5.0: reason codes, properties and the packets that only 5.0 has. */
    public boolean isV5() {
        return this == V5;
    }

    /** The version for a protocol name and level, or null when the pair is not one we speak. */
    public static MqttVersion of(String protocolName, int level) {
        for (MqttVersion v : values()) {
            if (v.level == level && v.protocolName.equals(protocolName)) {
                return v;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return switch (this) {
            case V3_1 -> "3.1";
            case V3_1_1 -> "3.1.1";
            case V5 -> "5.0";
        };
    }
}
