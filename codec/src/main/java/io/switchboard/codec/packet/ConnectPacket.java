package io.switchboard.codec.packet;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.property.Properties;
import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT (section 3.1). {@code cleanStart} is Clean Session in 3.1.1. The user name and password
 * are null when their flags are clear; {@code will} is null without the Will Flag.
 */
public record ConnectPacket(MqttVersion version, boolean cleanStart, int keepAlive, String clientId,
        Will will, String username, byte[] password, Properties properties) implements MqttPacket {

    public ConnectPacket {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectPacket c && version == c.version && cleanStart == c.cleanStart
                && keepAlive == c.keepAlive && clientId.equals(c.clientId) && Objects.equals(will, c.will)
                && Objects.equals(username, c.username) && Arrays.equals(password, c.password)
                && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, cleanStart, keepAlive, clientId, will, username, properties)
                * 31 + Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return "CONNECT{" + version + ", clientId=" + clientId + ", cleanStart=" + cleanStart
                + ", keepAlive=" + keepAlive + ", will=" + (will != null) + ", username=" + username
                + ", password=" + (password == null ? "none" : "****") + ", " + properties + "}";
    }
}
