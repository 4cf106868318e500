package io.switchboard.codec.packet;

import io.switchboard.codec.property.Properties;
import java.util.Objects;

/** The Will Message carried by a CONNECT: topic, payload, QoS, retain flag and Will Properties (5.0). */
public record Will(String topic, Payload payload, int qos, boolean retain, Properties properties) {
    public Will {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("will QoS " + qos);
        }
    }
}
