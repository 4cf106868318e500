package io.switchboard.codec.property;

/** The wire types of properties (section 2.2.2.2). */
public enum PropertyType {
    BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, BINARY_DATA, UTF8_STRING_PAIR
}
