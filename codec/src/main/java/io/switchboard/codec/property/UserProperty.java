package io.switchboard.codec.property;

import java.util.Objects;

/** One User Property: a name and a value, both UTF-8 strings; order and repeats are kept. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
