package io.switchboard.codec;

import static io.switchboard.codec.Wire.assertRejected;
import static io.switchboard.codec.Wire.bytes;
import static io.switchboard.codec.Wire.concat;
import static io.switchboard.codec.Wire.decode;
import static io.switchboard.codec.Wire.decodeError;
import static io.switchboard.codec.Wire.encode;
import static io.switchboard.codec.Wire.hex;
import static io.switchboard.codec.Wire.packet;
import static io.switchboard.codec.Wire.vbi;
import static io.switchboard.codec.property.PropertyScope.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.codec.packet.AuthPacket;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PubcompPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.packet.PubrelPacket;
import io.switchboard.codec.packet.SubackPacket;
import io.switchboard.codec.packet.SubscribePacket;
import io.switchboard.codec.packet.TopicSubscription;
import io.switchboard.codec.packet.UnsubackPacket;
import io.switchboard.codec.packet.UnsubscribePacket;
import io.switchboard.codec.packet.Will;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.property.Property;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.property.UserProperty;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every column of the MQTT 5.0 property table (section 2.2.2.2), checked against a copy of the
 * table written here from the specification, not read from {@link Property}.
 */
class PropertyTableTest {
    enum T { BYTE, TWO, FOUR, VBI, UTF8, BIN, PAIR }

    /** One row of the specification's table: identifier, type, valid range, where it may appear. */
    record Row(int id, T type, long min, long max, Set<PropertyScope> scopes) { }

    static final Map<Property, Row> SPEC = new EnumMap<>(Property.class);
    private static final long U32 = 0xFFFF_FFFFL;

    private static void row(Property p, int id, T t, long min, long max, PropertyScope... scopes) {
        SPEC.put(p, new Row(id, t, min, max, EnumSet.copyOf(List.of(scopes))));
    }

    static {
        row(Property.PAYLOAD_FORMAT_INDICATOR, 0x01, T.BYTE, 0, 1, PUBLISH, WILL);
        row(Property.MESSAGE_EXPIRY_INTERVAL, 0x02, T.FOUR, 0, U32, PUBLISH, WILL);
        row(Property.CONTENT_TYPE, 0x03, T.UTF8, 0, 0, PUBLISH, WILL);
        row(Property.RESPONSE_TOPIC, 0x08, T.UTF8, 0, 0, PUBLISH, WILL);
        row(Property.CORRELATION_DATA, 0x09, T.BIN, 0, 0, PUBLISH, WILL);
        // 3.3.2.3.8 / 3.8.2.1.2: a Subscription Identifier of 0 is a Protocol Error.
        row(Property.SUBSCRIPTION_IDENTIFIER, 0x0B, T.VBI, 1, 268_435_455, PUBLISH, SUBSCRIBE);
        row(Property.SESSION_EXPIRY_INTERVAL, 0x11, T.FOUR, 0, U32, CONNECT, CONNACK, DISCONNECT);
        row(Property.ASSIGNED_CLIENT_IDENTIFIER, 0x12, T.UTF8, 0, 0, CONNACK);
        row(Property.SERVER_KEEP_ALIVE, 0x13, T.TWO, 0, 65_535, CONNACK);
        row(Property.AUTHENTICATION_METHOD, 0x15, T.UTF8, 0, 0, CONNECT, CONNACK, AUTH);
        row(Property.AUTHENTICATION_DATA, 0x16, T.BIN, 0, 0, CONNECT, CONNACK, AUTH);
        // 3.1.2.11.7 / 3.1.2.11.6: a value other than 0 or 1 is a Protocol Error.
        row(Property.REQUEST_PROBLEM_INFORMATION, 0x17, T.BYTE, 0, 1, CONNECT);
        row(Property.WILL_DELAY_INTERVAL, 0x18, T.FOUR, 0, U32, WILL);
        row(Property.REQUEST_RESPONSE_INFORMATION, 0x19, T.BYTE, 0, 1, CONNECT);
        row(Property.RESPONSE_INFORMATION, 0x1A, T.UTF8, 0, 0, CONNACK);
        row(Property.SERVER_REFERENCE, 0x1C, T.UTF8, 0, 0, CONNACK, DISCONNECT);
        row(Property.REASON_STRING, 0x1F, T.UTF8, 0, 0,
                CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH);
        // 3.1.2.11.3 / 3.2.2.3.3: a Receive Maximum of 0 is a Protocol Error.
        row(Property.RECEIVE_MAXIMUM, 0x21, T.TWO, 1, 65_535, CONNECT, CONNACK);
        row(Property.TOPIC_ALIAS_MAXIMUM, 0x22, T.TWO, 0, 65_535, CONNECT, CONNACK);
        // [MQTT-3.3.2-8] a Topic Alias of 0 is not permitted.
        row(Property.TOPIC_ALIAS, 0x23, T.TWO, 1, 65_535, PUBLISH);
        // 3.2.2.3.4 / 3.2.2.3.5 / 3.2.2.3.11-13: a value other than 0 or 1 is a Protocol Error.
        row(Property.MAXIMUM_QOS, 0x24, T.BYTE, 0, 1, CONNACK);
        row(Property.RETAIN_AVAILABLE, 0x25, T.BYTE, 0, 1, CONNACK);
        row(Property.USER_PROPERTY, 0x26, T.PAIR, 0, 0, PropertyScope.values());
        // 3.1.2.11.4 / 3.2.2.3.6: a Maximum Packet Size of 0 is a Protocol Error.
        row(Property.MAXIMUM_PACKET_SIZE, 0x27, T.FOUR, 1, U32, CONNECT, CONNACK);
        row(Property.WILDCARD_SUBSCRIPTION_AVAILABLE, 0x28, T.BYTE, 0, 1, CONNACK);
        row(Property.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0x29, T.BYTE, 0, 1, CONNACK);
        row(Property.SHARED_SUBSCRIPTION_AVAILABLE, 0x2A, T.BYTE, 0, 1, CONNACK);
    }

    /** Where a second copy is allowed: User Property anywhere, Subscription Identifier in PUBLISH. */
    static boolean repeatable(Property p, PropertyScope s) {
        return p == Property.USER_PROPERTY || (p == Property.SUBSCRIPTION_IDENTIFIER && s == PUBLISH);
    }

    // ---- wire helpers ---------------------------------------------------------------------------

    /** A valid 5.0 packet of the scope carrying exactly the given property section content. */
    static byte[] packetWith(PropertyScope scope, byte[] content) {
        byte[] section = concat(vbi(content.length), content);
        byte[] connectHead = bytes(0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05);
        return switch (scope) {
            case CONNECT -> packet(0x10, concat(connectHead, bytes(0x02, 0x00, 0x00), section, bytes(0x00, 0x01, 'c')));
            case WILL -> packet(0x10, concat(connectHead, bytes(0x06, 0x00, 0x00, 0x00, 0x00, 0x01, 'c'), section,
                    bytes(0x00, 0x01, 't', 0x00, 0x00)));
            case CONNACK -> packet(0x20, concat(bytes(0x00, 0x00), section));
            case PUBLISH -> packet(0x30, concat(bytes(0x00, 0x01, 't'), section));
            case PUBACK -> packet(0x40, concat(bytes(0x00, 0x01, 0x00), section));
            case PUBREC -> packet(0x50, concat(bytes(0x00, 0x01, 0x00), section));
            case PUBREL -> packet(0x62, concat(bytes(0x00, 0x01, 0x00), section));
            case PUBCOMP -> packet(0x70, concat(bytes(0x00, 0x01, 0x00), section));
            case SUBSCRIBE -> packet(0x82, concat(bytes(0x00, 0x01), section, bytes(0x00, 0x01, 't', 0x00)));
            case SUBACK -> packet(0x90, concat(bytes(0x00, 0x01), section, bytes(0x00)));
            case UNSUBSCRIBE -> packet(0xA2, concat(bytes(0x00, 0x01), section, bytes(0x00, 0x01, 't')));
            case UNSUBACK -> packet(0xB0, concat(bytes(0x00, 0x01), section, bytes(0x00)));
            case DISCONNECT -> packet(0xE0, concat(bytes(0x00), section));
            case AUTH -> packet(0xF0, concat(bytes(0x18), section));
        };
    }

    /** The record {@link #packetWith} decodes to, for the same properties. */
    static MqttPacket recordWith(PropertyScope scope, Properties props) {
        Properties none = Properties.EMPTY;
        return switch (scope) {
            case CONNECT -> new ConnectPacket(MqttVersion.V5, true, 0, "c", null, null, null, props);
            case WILL -> new ConnectPacket(MqttVersion.V5, true, 0, "c", new Will("t", Payload.EMPTY, 0, false, props),
                    null, null, none);
            case CONNACK -> new ConnackPacket(false, ReasonCode.SUCCESS, props);
            case PUBLISH -> new PublishPacket("t", 0, false, false, 0, props, Payload.EMPTY);
            case PUBACK -> new PubackPacket(1, ReasonCode.SUCCESS, props);
            case PUBREC -> new PubrecPacket(1, ReasonCode.SUCCESS, props);
            case PUBREL -> new PubrelPacket(1, ReasonCode.SUCCESS, props);
            case PUBCOMP -> new PubcompPacket(1, ReasonCode.SUCCESS, props);
            case SUBSCRIBE -> new SubscribePacket(1, List.of(new TopicSubscription("t", 0)), props);
            case SUBACK -> new SubackPacket(1, List.of(ReasonCode.GRANTED_QOS_0), props);
            case UNSUBSCRIBE -> new UnsubscribePacket(1, List.of("t"), props);
            case UNSUBACK -> new UnsubackPacket(1, List.of(ReasonCode.SUCCESS), props);
            case DISCONNECT -> new DisconnectPacket(ReasonCode.NORMAL_DISCONNECTION, props);
            case AUTH -> new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, props);
        };
    }

    /** A value's bytes and the object {@link Properties#get} holds for it; {@code n} varies the value. */
    static byte[] valueBytes(Property p, long n) {
        return switch (SPEC.get(p).type()) {
            case BYTE -> bytes((int) n);
            case TWO -> bytes((int) (n >> 8), (int) (n & 0xFF));
            case FOUR -> bytes((int) (n >>> 24), (int) (n >> 16 & 0xFF), (int) (n >> 8 & 0xFF), (int) (n & 0xFF));
            case VBI -> vbi((int) n);
            case UTF8 -> bytes(0x00, 0x01, 'a' + (int) n);
            case BIN -> bytes(0x00, 0x01, (int) n);
            case PAIR -> bytes(0x00, 0x01, 'k', 0x00, 0x01, 'a' + (int) n);
        };
    }

    static Object value(Property p, long n) {
        return switch (SPEC.get(p).type()) {
            case BYTE, TWO, VBI -> (int) n;
            case FOUR -> n;
            case UTF8 -> String.valueOf((char) ('a' + n));
            case BIN -> new byte[] {(byte) n};
            case PAIR -> new UserProperty("k", String.valueOf((char) ('a' + n)));
        };
    }

    static byte[] entry(Property p, long n) {
        return concat(vbi(SPEC.get(p).id()), valueBytes(p, n));
    }

    static Properties propsOf(MqttPacket packet, PropertyScope scope) {
        if (packet instanceof ConnectPacket c) {
            return scope == WILL ? c.will().properties() : c.properties();
        } else if (packet instanceof ConnackPacket c) {
            return c.properties();
        } else if (packet instanceof PublishPacket c) {
            return c.properties();
        } else if (packet instanceof PubackPacket c) {
            return c.properties();
        } else if (packet instanceof PubrecPacket c) {
            return c.properties();
        } else if (packet instanceof PubrelPacket c) {
            return c.properties();
        } else if (packet instanceof PubcompPacket c) {
            return c.properties();
        } else if (packet instanceof SubscribePacket c) {
            return c.properties();
        } else if (packet instanceof SubackPacket c) {
            return c.properties();
        } else if (packet instanceof UnsubscribePacket c) {
            return c.properties();
        } else if (packet instanceof UnsubackPacket c) {
            return c.properties();
        } else if (packet instanceof DisconnectPacket c) {
            return c.properties();
        } else if (packet instanceof AuthPacket c) {
            return c.properties();
        }
        throw new AssertionError(packet);
    }

    static Stream<Arguments> allowed() {
        return pairs(true);
    }

    static Stream<Arguments> notAllowed() {
        return pairs(false);
    }

    static Stream<Arguments> pairs(boolean allowed) {
        List<Arguments> out = new ArrayList<>();
        for (Property p : Property.values()) {
            for (PropertyScope s : PropertyScope.values()) {
                if (SPEC.get(p).scopes().contains(s) == allowed) {
                    out.add(Arguments.of(p, s));
                }
            }
        }
        return out.stream();
    }

    // ---- the table itself -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Property.class)
    void everyPropertyHasTheSpecificationsIdentifierAndRange(Property p) {
        Row row = SPEC.get(p);
        assertThat(row).as("the test's copy of the table lists %s", p).isNotNull();
        assertThat(p.id()).isEqualTo(row.id());
        assertThat(Property.of(row.id())).isSameAs(p);
        if (p.isNumeric()) {
            assertThat(p.min()).as("min").isEqualTo(row.min());
            assertThat(p.max()).as("max").isEqualTo(row.max());
        }
    }

    @ParameterizedTest
    @EnumSource(PropertyScope.class)
    void everyTemplatePacketDecodesWithoutProperties(PropertyScope scope) {
        byte[] wire = packetWith(scope, new byte[0]);
        assertThat(decode(MqttVersion.V5, wire)).isEqualTo(recordWith(scope, Properties.EMPTY));
        // (Acks and DISCONNECT encode shorter without properties, so compare after a round trip.)
        assertThat(decode(MqttVersion.V5, encode(recordWith(scope, Properties.EMPTY), MqttVersion.V5)))
                .isEqualTo(recordWith(scope, Properties.EMPTY));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("allowed")
    void propertyIsAcceptedAndEncodedWhereTheTableAllowsIt(Property p, PropertyScope scope) {
        Properties props = Properties.builder().add(p, value(p, 1)).build();
        byte[] wire = packetWith(scope, entry(p, 1));
        MqttPacket decoded = decode(MqttVersion.V5, wire);
        assertThat(decoded).isEqualTo(recordWith(scope, props));
        Object got = propsOf(decoded, scope).get(p);
        assertThat(got instanceof List<?> l ? l.get(0) : got).isEqualTo(value(p, 1));
        assertThat(hex(encode(recordWith(scope, props), MqttVersion.V5))).isEqualTo(hex(wire));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("notAllowed")
    @DisplayName("a property identifier not valid for the packet is a Malformed Packet (2.2.2.2)")
    void propertyIsMalformedWhereTheTableDoesNotAllowIt(Property p, PropertyScope scope) {
        assertRejected(decodeError(MqttVersion.V5, packetWith(scope, entry(p, 1))),
                ReasonCode.MALFORMED_PACKET, p.displayName(), "not allowed in " + scope);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("notAllowed")
    void encoderRefusesAPropertyWhereTheTableDoesNotAllowIt(Property p, PropertyScope scope) {
        MqttPacket packet = recordWith(scope, Properties.builder().add(p, value(p, 1)).build());
        assertThatThrownBy(() -> encode(packet, MqttVersion.V5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(p.displayName());
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("allowed")
    @DisplayName("a second copy: Protocol Error unless the property may repeat there")
    void secondCopyIsRefusedUnlessThePropertyMayRepeat(Property p, PropertyScope scope) {
        byte[] wire = packetWith(scope, concat(entry(p, 1), entry(p, 2)));
        if (repeatable(p, scope)) {
            MqttPacket decoded = decode(MqttVersion.V5, wire);
            assertThat(propsOf(decoded, scope).get(p)).isEqualTo(List.of(value(p, 1), value(p, 2)));
            assertThat(hex(encode(decoded, MqttVersion.V5))).isEqualTo(hex(wire));
        } else {
            assertRejected(decodeError(MqttVersion.V5, wire), ReasonCode.PROTOCOL_ERROR,
                    p.displayName(), "more than once");
            Properties.Builder b = Properties.builder().add(p, value(p, 1));
            if (p == Property.SUBSCRIPTION_IDENTIFIER) {
                b.add(p, value(p, 2));
                MqttPacket twice = recordWith(scope, b.build());
                assertThatThrownBy(() -> encode(twice, MqttVersion.V5)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("may not repeat");
            }
        }
    }

    static Stream<Arguments> numericBounds() {
        List<Arguments> out = new ArrayList<>();
        for (Property p : Property.values()) {
            Row r = SPEC.get(p);
            if (r.type() == T.BYTE || r.type() == T.TWO || r.type() == T.FOUR || r.type() == T.VBI) {
                for (PropertyScope s : r.scopes()) {
                    out.add(Arguments.of(p, s, r.min(), r.max()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} in {1}: {2}..{3}")
    @MethodSource("numericBounds")
    void numericPropertyAcceptsBothEndsOfItsRange(Property p, PropertyScope scope, long min, long max) {
        for (long v : new long[] {min, max}) {
            MqttPacket decoded = decode(MqttVersion.V5, packetWith(scope, entry(p, v)));
            Object got = propsOf(decoded, scope).get(p);
            assertThat(got instanceof List<?> l ? l.get(0) : got).isEqualTo(value(p, v));
        }
    }

    static Stream<Arguments> outOfRange() {
        long[] typeMax = {0xFF, 0xFFFF, U32};
        List<Arguments> out = new ArrayList<>();
        numericBounds().forEach(a -> {
            Property p = (Property) a.get()[0];
            Row r = SPEC.get(p);
            if (r.min() > 0) {
                out.add(Arguments.of(p, a.get()[1], r.min() - 1));
            }
            int t = r.type().ordinal();
            if (t <= 2 && r.max() < typeMax[t]) {
                out.add(Arguments.of(p, a.get()[1], r.max() + 1));
                out.add(Arguments.of(p, a.get()[1], typeMax[t]));
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0} = {2} in {1}")
    @MethodSource("outOfRange")
    @DisplayName("out-of-range values are a Protocol Error (Receive Maximum 0, Maximum QoS 2, ...), Topic Alias 0 is 0x94")
    void numericPropertyOutOfRangeIsProtocolError(Property p, PropertyScope scope, long value) {
        // [MQTT-3.3.2-8] Topic Alias 0 is answered with 0x94 Topic Alias invalid; the rest are Protocol Errors.
        ReasonCode expected = p == Property.TOPIC_ALIAS ? ReasonCode.TOPIC_ALIAS_INVALID : ReasonCode.PROTOCOL_ERROR;
        assertRejected(decodeError(MqttVersion.V5, packetWith(scope, entry(p, value))), expected,
                p.displayName() + " " + value, "out of range");
    }

    @Test
    void outOfRangeCasesIncludeEveryOneTheSpecificationNames() {
        List<String> cases = outOfRange().map(a -> a.get()[0] + "=" + a.get()[2]).toList();
        assertThat(cases).contains("RECEIVE_MAXIMUM=0", "MAXIMUM_PACKET_SIZE=0", "TOPIC_ALIAS=0",
                "SUBSCRIPTION_IDENTIFIER=0", "PAYLOAD_FORMAT_INDICATOR=2", "MAXIMUM_QOS=2",
                "REQUEST_PROBLEM_INFORMATION=2", "REQUEST_RESPONSE_INFORMATION=2", "RETAIN_AVAILABLE=2",
                "WILDCARD_SUBSCRIPTION_AVAILABLE=2", "SUBSCRIPTION_IDENTIFIER_AVAILABLE=2",
                "SHARED_SUBSCRIPTION_AVAILABLE=2");
    }

    // ---- malformed sections ---------------------------------------------------------------------

    @ParameterizedTest(name = "identifier {0}")
    @MethodSource("unknownIds")
    void unknownPropertyIdentifierIsMalformed(String name, byte[] id) {
        assertRejected(decodeError(MqttVersion.V5, packetWith(PUBLISH, concat(id, bytes(0x00)))),
                ReasonCode.MALFORMED_PACKET, "unknown property identifier");
    }

    static Stream<Arguments> unknownIds() {
        return Stream.of(Arguments.of("0x00", bytes(0x00)), Arguments.of("0x04", bytes(0x04)),
                Arguments.of("0x2B", bytes(0x2B)), Arguments.of("0x7F", bytes(0x7F)),
                Arguments.of("128 (2-byte VBI)", bytes(0x80, 0x01)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Property.class)
    void truncatedPropertyValueIsMalformed(Property p) {
        PropertyScope scope = SPEC.get(p).scopes().iterator().next();
        // VBI 200 takes two bytes: cutting one leaves a dangling continuation bit.
        byte[] whole = entry(p, SPEC.get(p).type() == T.VBI ? 200 : 1);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
        assertRejected(decodeError(MqttVersion.V5, packetWith(scope, cut)), ReasonCode.MALFORMED_PACKET,
                p.displayName());
    }

    @Test
    void propertyLengthLongerThanThePacketIsMalformed() {
        // PUBLISH "t", property length 10, but only one byte follows.
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0x05, 0x00, 0x01, 't', 0x0A, 0x01),
                ReasonCode.MALFORMED_PACKET, "property length 10", "longer than");
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a property length not in its shortest form is malformed")
    void propertyLengthNotInShortestFormIsMalformed() {
        assertRejected(decodeError(MqttVersion.V5, 0x30, 0x05, 0x00, 0x01, 't', 0x80, 0x00),
                ReasonCode.MALFORMED_PACKET, "property length", "shortest form");
    }
}
