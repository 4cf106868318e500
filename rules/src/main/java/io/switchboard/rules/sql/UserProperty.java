package io.switchboard.rules.sql;

import java.util.Objects;

/** One MQTT 5 User Property of a PUBLISH: a name and a value, both UTF-8 strings; a name may repeat. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
