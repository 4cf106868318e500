package io.switchboard.rpc;

import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Conversions between the MQTT client's types and this library's, which keep them out of the API. */
final class Wire {
    private Wire() {
    }

    static Optional<String> first(List<UserProperty> properties, String name) {
        for (UserProperty p : properties) {
            if (p.name().equals(name)) {
                return Optional.of(p.value());
            }
        }
        return Optional.empty();
    }

    static List<UserProperty> from(Mqtt5UserProperties properties) {
        List<? extends Mqtt5UserProperty> list = properties.asList();
        if (list.isEmpty()) {
            return List.of();
        }
        List<UserProperty> out = new ArrayList<>(list.size());
        for (Mqtt5UserProperty p : list) {
            out.add(new UserProperty(p.getName().toString(), p.getValue().toString()));
        }
        return List.copyOf(out);
    }

    static Mqtt5UserProperties to(List<UserProperty> properties) {
        if (properties.isEmpty()) {
            return Mqtt5UserProperties.of();
        }
        Mqtt5UserPropertiesBuilder b = Mqtt5UserProperties.builder();
        for (UserProperty p : properties) {
            b.add(p.name(), p.value());
        }
        return b.build();
    }

    /** Whether {@code topic} is a topic name one may publish to: not empty, no wildcard, no NUL. */
    static void checkTopicName(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic: must not be empty");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("topic '" + topic + "': a request topic may not contain '+', '#' or NUL");
        }
    }
}
