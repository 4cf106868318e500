package io.switchboard.codec.property;

import static io.switchboard.codec.property.PropertyScope.AUTH;
import static io.switchboard.codec.property.PropertyScope.CONNACK;
import static io.switchboard.codec.property.PropertyScope.CONNECT;
import static io.switchboard.codec.property.PropertyScope.DISCONNECT;
import static io.switchboard.codec.property.PropertyScope.PUBACK;
import static io.switchboard.codec.property.PropertyScope.PUBCOMP;
import static io.switchboard.codec.property.PropertyScope.PUBLISH;
import static io.switchboard.codec.property.PropertyScope.PUBREC;
import static io.switchboard.codec.property.PropertyScope.PUBREL;
import static io.switchboard.codec.property.PropertyScope.SUBACK;
import static io.switchboard.codec.property.PropertyScope.SUBSCRIBE;
import static io.switchboard.codec.property.PropertyScope.UNSUBACK;
import static io.switchboard.codec.property.PropertyScope.UNSUBSCRIBE;
import static io.switchboard.codec.property.PropertyScope.WILL;
import static io.switchboard.codec.property.PropertyType.BINARY_DATA;
import static io.switchboard.codec.property.PropertyType.BYTE;
import static io.switchboard.codec.property.PropertyType.FOUR_BYTE_INTEGER;
import static io.switchboard.codec.property.PropertyType.TWO_BYTE_INTEGER;
import static io.switchboard.codec.property.PropertyType.UTF8_STRING;
import static io.switchboard.codec.property.PropertyType.UTF8_STRING_PAIR;
import static io.switchboard.codec.property.PropertyType.VARIABLE_BYTE_INTEGER;

import io.switchboard.codec.ReasonCode;
import java.util.EnumSet;
import java.util.Set;

/**
 * The MQTT 5.0 property table (section 2.2.2.2) as data: for each property its identifier, wire
 * type, the packets it may appear in, where it may repeat, and the range of valid values. The
 * decoder enforces every column; the encoder refuses to write what the table does not allow.
 */
public enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, BYTE, 0, 1, scopes(PUBLISH, WILL), none()),
    MESSAGE_EXPIRY_INTERVAL(0x02, FOUR_BYTE_INTEGER, 0, 0xFFFF_FFFFL, scopes(PUBLISH, WILL), none()),
    CONTENT_TYPE(0x03, UTF8_STRING, 0, 0, scopes(PUBLISH, WILL), none()),
    RESPONSE_TOPIC(0x08, UTF8_STRING, 0, 0, scopes(PUBLISH, WILL), none()),
    CORRELATION_DATA(0x09, BINARY_DATA, 0, 0, scopes(PUBLISH, WILL), none()),
    /** Repeats in PUBLISH (one per matching subscription), once in SUBSCRIBE; 0 is a Protocol Error. */
    SUBSCRIPTION_IDENTIFIER(0x0B, VARIABLE_BYTE_INTEGER, 1, 268_435_455,
            scopes(PUBLISH, SUBSCRIBE), scopes(PUBLISH)),
    SESSION_EXPIRY_INTERVAL(0x11, FOUR_BYTE_INTEGER, 0, 0xFFFF_FFFFL, scopes(CONNECT, CONNACK, DISCONNECT), none()),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, UTF8_STRING, 0, 0, scopes(CONNACK), none()),
    SERVER_KEEP_ALIVE(0x13, TWO_BYTE_INTEGER, 0, 65_535, scopes(CONNACK), none()),
    AUTHENTICATION_METHOD(0x15, UTF8_STRING, 0, 0, scopes(CONNECT, CONNACK, AUTH), none()),
    AUTHENTICATION_DATA(0x16, BINARY_DATA, 0, 0, scopes(CONNECT, CONNACK, AUTH), none()),
    REQUEST_PROBLEM_INFORMATION(0x17, BYTE, 0, 1, scopes(CONNECT), none()),
    WILL_DELAY_INTERVAL(0x18, FOUR_BYTE_INTEGER, 0, 0xFFFF_FFFFL, scopes(WILL), none()),
    REQUEST_RESPONSE_INFORMATION(0x19, BYTE, 0, 1, scopes(CONNECT), none()),
    RESPONSE_INFORMATION(0x1A, UTF8_STRING, 0, 0, scopes(CONNACK), none()),
    SERVER_REFERENCE(0x1C, UTF8_STRING, 0, 0, scopes(CONNACK, DISCONNECT), none()),
    REASON_STRING(0x1F, UTF8_STRING, 0, 0,
            scopes(CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH), none()),
    /** [MQTT-3.1.2.11.3] / [MQTT-3.2.2.3.3] a Receive Maximum of 0 is a Protocol Error. */
    RECEIVE_MAXIMUM(0x21, TWO_BYTE_INTEGER, 1, 65_535, scopes(CONNECT, CONNACK), none()),
    TOPIC_ALIAS_MAXIMUM(0x22, TWO_BYTE_INTEGER, 0, 65_535, scopes(CONNECT, CONNACK), none()),
    /** [MQTT-3.3.2-8] a Topic Alias of 0 is not permitted: answered with 0x94 Topic Alias invalid. */
    TOPIC_ALIAS(0x23, TWO_BYTE_INTEGER, 1, 65_535, scopes(PUBLISH), none(), ReasonCode.TOPIC_ALIAS_INVALID),
    MAXIMUM_QOS(0x24, BYTE, 0, 1, scopes(CONNACK), none()),
    RETAIN_AVAILABLE(0x25, BYTE, 0, 1, scopes(CONNACK), none()),
    USER_PROPERTY(0x26, UTF8_STRING_PAIR, 0, 0,
            EnumSet.allOf(PropertyScope.class), EnumSet.allOf(PropertyScope.class)),
    /** A Maximum Packet Size of 0 is a Protocol Error. */
    MAXIMUM_PACKET_SIZE(0x27, FOUR_BYTE_INTEGER, 1, 0xFFFF_FFFFL, scopes(CONNECT, CONNACK), none()),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, BYTE, 0, 1, scopes(CONNACK), none()),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, BYTE, 0, 1, scopes(CONNACK), none()),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, BYTE, 0, 1, scopes(CONNACK), none());

    private static final Property[] BY_ID = new Property[0x80];

    static {
        for (Property p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final PropertyType type;
    private final long min;
    private final long max;
    private final Set<PropertyScope> allowedIn;
    private final Set<PropertyScope> repeatableIn;
    private final ReasonCode outOfRange;

    Property(int id, PropertyType type, long min, long max, Set<PropertyScope> allowedIn,
            Set<PropertyScope> repeatableIn) {
        this(id, type, min, max, allowedIn, repeatableIn, ReasonCode.PROTOCOL_ERROR);
    }

    Property(int id, PropertyType type, long min, long max, Set<PropertyScope> allowedIn,
            Set<PropertyScope> repeatableIn, ReasonCode outOfRange) {
        this.outOfRange = outOfRange;
        this.id = id;
        this.type = type;
        this.min = min;
        this.max = max;
        this.allowedIn = allowedIn;
        this.repeatableIn = repeatableIn;
    }

    public int id() {
        return id;
    }

    public PropertyType type() {
        return type;
    }

    /** True for the numeric types, whose values are checked against {@link #min()}..{@link #max()}. */
    public boolean isNumeric() {
        return type == BYTE || type == TWO_BYTE_INTEGER || type == FOUR_BYTE_INTEGER
                || type == VARIABLE_BYTE_INTEGER;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** The reason code for a value outside {@link #min()}..{@link #max()}: Protocol Error unless the specification names another. */
    public ReasonCode outOfRangeReasonCode() {
        return outOfRange;
    }

    public boolean allowedIn(PropertyScope scope) {
        return allowedIn.contains(scope);
    }

    public boolean repeatableIn(PropertyScope scope) {
        return repeatableIn.contains(scope);
    }

    /** The property with an identifier, or null when no property has it. */
    public static Property of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** The name as the specification writes it, for messages (computed once: it is read on every decode). */
    public String displayName() {
        return DISPLAY_NAMES[ordinal()];
    }

    private static final String[] DISPLAY_NAMES = new String[values().length];

    static {
        for (Property p : values()) {
            StringBuilder sb = new StringBuilder();
            for (String word : p.name().split("_")) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
            }
            DISPLAY_NAMES[p.ordinal()] = sb.toString();
        }
    }

    private static Set<PropertyScope> scopes(PropertyScope first, PropertyScope... rest) {
        return EnumSet.of(first, rest);
    }

    private static Set<PropertyScope> none() {
        return EnumSet.noneOf(PropertyScope.class);
    }
}
