package io.switchboard.conformance.fuzz;

import static io.switchboard.conformance.fuzz.Mutator.concat;
import static io.switchboard.conformance.fuzz.Mutator.varint;

import io.switchboard.codec.PacketType;
import io.switchboard.codec.property.Property;
import io.switchboard.codec.property.PropertyScope;
import io.switchboard.codec.property.PropertyType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * MQTT 5.0 packets built by hand around a property section of our choosing, which the codec's
 * encoder would refuse to write: an unknown identifier, an identifier not in its shortest form, a
 * property the packet may not carry, a property repeated that may not repeat, a value out of range,
 * a truncated value, ill-formed UTF-8 in a value, or a Property Length that is wrong. The rest of the
 * packet is well-formed and its Remaining Length is right, so the property rules are what is tested.
 */
final class BadProperties {
    /** The ways a property section is broken. */
    enum Kind {
        UNKNOWN_ID, ID_NOT_SHORTEST, NOT_ALLOWED_HERE, REPEATED, OUT_OF_RANGE, TRUNCATED_VALUE, BAD_UTF8,
        STRING_LONGER_THAN_SECTION, LENGTH_TOO_LARGE, LENGTH_TOO_SMALL, LENGTH_NOT_SHORTEST, LENGTH_FIVE_BYTES,
        RANDOM_CONTENT
    }

    /** One packet with a broken property section; {@code what} names packet and breakage. */
    record Result(String what, byte[] bytes) {
    }

    private static final int[] UNKNOWN_IDS = {0x00, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0C, 0x10, 0x14, 0x1B, 0x1D,
        0x1E, 0x20, 0x2B, 0x3F, 0x7F};
    private static final List<PacketType> TYPES = Arrays.stream(PacketType.values())
            .filter(t -> t != PacketType.PINGREQ && t != PacketType.PINGRESP).toList();

    private final Random rnd;

    BadProperties(Random rnd) {
        this.rnd = rnd;
    }

    /** A packet of a random type with a property section broken in a random way. */
    Result packet() {
        PacketType type = TYPES.get(rnd.nextInt(TYPES.size()));
        Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
        boolean inWill = type == PacketType.CONNECT && rnd.nextBoolean();
        PropertyScope scope = inWill ? PropertyScope.WILL : PropertyScope.valueOf(type.name());
        byte[] section = section(kind, scope);
        byte[] good = section(null, inWill ? PropertyScope.CONNECT : PropertyScope.WILL);
        boolean withWill = inWill || rnd.nextBoolean();
        return new Result(type + (inWill ? " (Will Properties)" : "") + " / " + kind,
                packet(type, inWill ? good : section, withWill ? (inWill ? section : good) : null));
    }

    /** A property section (Property Length included); {@code kind} null means a well-formed one. */
    byte[] section(Kind kind, PropertyScope scope) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int before = rnd.nextInt(3);
        for (int i = 0; i < before; i++) {
            write(content, validEntry(scope));
        }
        if (kind != null) {
            write(content, badEntry(kind, scope));
        }
        byte[] c = content.toByteArray();
        if (kind == null) {
            return concat(varint(c.length), c);
        }
        return switch (kind) {
            case LENGTH_TOO_LARGE -> concat(varint(c.length + 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 1 << 20)), c);
            case LENGTH_TOO_SMALL -> concat(varint(c.length == 0 ? 0 : rnd.nextInt(c.length)), c);
            case LENGTH_NOT_SHORTEST -> concat(varint(c.length, 2 + rnd.nextInt(3)), c);
            case LENGTH_FIVE_BYTES -> concat(varint(c.length, 5), c);
            default -> concat(varint(c.length), c);
        };
    }

    private byte[] badEntry(Kind kind, PropertyScope scope) {
        return switch (kind) {
            case UNKNOWN_ID -> concat(new byte[] {(byte) UNKNOWN_IDS[rnd.nextInt(UNKNOWN_IDS.length)]},
                    random(rnd.nextInt(5)));
            case ID_NOT_SHORTEST -> {
                Property p = allowed(scope);
                yield concat(varint(p.id(), 2), value(p));
            }
            case NOT_ALLOWED_HERE -> entry(notAllowed(scope));
            case REPEATED -> {
                Property p = pick(Arrays.stream(Property.values())
                        .filter(q -> q.allowedIn(scope) && !q.repeatableIn(scope)).toList());
                yield p == null ? entry(notAllowed(scope)) : concat(entry(p), entry(p));
            }
            case OUT_OF_RANGE -> outOfRange(scope);
            case TRUNCATED_VALUE -> {
                byte[] e = entry(allowed(scope));
                yield Arrays.copyOf(e, Math.max(1, e.length - 1 - rnd.nextInt(e.length)));
            }
            case BAD_UTF8 -> {
                // USER_PROPERTY is allowed everywhere, so there is always one.
                Property p = pick(Arrays.stream(Property.values()).filter(q -> q.allowedIn(scope)
                        && (q.type() == PropertyType.UTF8_STRING || q.type() == PropertyType.UTF8_STRING_PAIR))
                        .toList());
                // Four bytes holding a surrogate (ED A0 80), U+0000 or an overlong NUL (C0 80).
                byte[] bad = {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 0, (byte) 0xC0, (byte) 0x80};
                int from = rnd.nextInt(4);
                byte[] s = concat(new byte[] {0, 4}, Arrays.copyOfRange(bad, from, from + 4));
                byte[] id = varint(p.id());
                yield p.type() == PropertyType.UTF8_STRING ? concat(id, s)
                        : rnd.nextBoolean() ? concat(id, s, string("v")) : concat(id, string("k"), s);
            }
            case STRING_LONGER_THAN_SECTION -> concat(varint(Property.USER_PROPERTY.id()),
                    new byte[] {(byte) 0xFF, (byte) 0xF0}, random(2));
            case RANDOM_CONTENT -> random(1 + rnd.nextInt(24));
            // The entry is well-formed; the Property Length around it is broken (see section()).
            default -> validEntry(scope);
        };
    }

    /** A numeric property with a value outside its range (or not allowed here, when none is). */
    private byte[] outOfRange(PropertyScope scope) {
        Property p = pick(Arrays.stream(Property.values()).filter(q -> q.isNumeric() && q.allowedIn(scope)
                && (q.min() > 0 || q.max() < maxOf(q.type()))).toList());
        if (p == null) {
            p = pick(List.of(Property.PAYLOAD_FORMAT_INDICATOR, Property.RECEIVE_MAXIMUM, Property.TOPIC_ALIAS,
                    Property.MAXIMUM_PACKET_SIZE, Property.SUBSCRIPTION_IDENTIFIER, Property.MAXIMUM_QOS));
        }
        long v = p.min() > 0 && (p.max() >= maxOf(p.type()) || rnd.nextBoolean()) ? 0
                : p.max() + 1 + (long) (rnd.nextDouble() * (maxOf(p.type()) - p.max() - 1));
        return concat(varint(p.id()), number(p.type(), v));
    }

    private static long maxOf(PropertyType t) {
        return switch (t) {
            case BYTE -> 0xFF;
            case TWO_BYTE_INTEGER -> 0xFFFF;
            case FOUR_BYTE_INTEGER -> 0xFFFF_FFFFL;
            default -> 268_435_455;
        };
    }

    private byte[] validEntry(PropertyScope scope) {
        return entry(allowed(scope));
    }

    private Property allowed(PropertyScope scope) {
        return pick(Arrays.stream(Property.values()).filter(q -> q.allowedIn(scope)).toList());
    }

    private Property notAllowed(PropertyScope scope) {
        return pick(Arrays.stream(Property.values()).filter(q -> !q.allowedIn(scope)).toList());
    }

    private byte[] entry(Property p) {
        return concat(varint(p.id()), value(p));
    }

    /** A value within the property's range. */
    private byte[] value(Property p) {
        return switch (p.type()) {
            case UTF8_STRING -> string(rnd.nextBoolean() ? "fuzz/v" : "");
            case UTF8_STRING_PAIR -> concat(string("k"), string("v"));
            case BINARY_DATA -> concat(new byte[] {0, 3}, random(3));
            default -> number(p.type(), p.min() + (long) (rnd.nextDouble() * Math.min(100, p.max() - p.min() + 1)));
        };
    }

    private static byte[] number(PropertyType type, long v) {
        return switch (type) {
            case BYTE -> new byte[] {(byte) v};
            case TWO_BYTE_INTEGER -> new byte[] {(byte) (v >>> 8), (byte) v};
            case FOUR_BYTE_INTEGER -> new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            default -> varint((int) Math.min(v, 268_435_455));
        };
    }

    private static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) (b.length >>> 8), (byte) b.length}, b);
    }

    /** The whole packet around the property sections: a CONNECT has a Will when {@code willProps} is not null. */
    private byte[] packet(PacketType type, byte[] props, byte[] willProps) {
        byte[] pid = {0, (byte) (1 + rnd.nextInt(16))};
        int flags = type.requiredFlags();
        byte[] body = switch (type) {
            case CONNECT -> {
                boolean will = willProps != null;
                flags = 0;
                yield concat(string("MQTT"), new byte[] {5, (byte) (0x02 | (will ? 0x04 : 0)), 0, 0}, props,
                        string("fuzz-" + rnd.nextInt(64)),
                        will ? concat(willProps, string("fuzz/will"), string("w")) : new byte[0]);
            }
            case CONNACK -> concat(new byte[] {0, 0}, props);
            case PUBLISH -> {
                int qos = rnd.nextInt(3);
                flags = qos << 1;
                yield concat(string("fuzz/p"), qos > 0 ? pid : new byte[0], props, random(rnd.nextInt(8)));
            }
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> concat(pid, new byte[] {0}, props);
            case SUBSCRIBE -> concat(pid, props, string("fuzz/#"), new byte[] {1});
            case SUBACK, UNSUBACK -> concat(pid, props, new byte[] {0});
            case UNSUBSCRIBE -> concat(pid, props, string("fuzz/#"));
            case DISCONNECT -> concat(new byte[] {0}, props);
            case AUTH -> concat(new byte[] {0x18}, props);
            default -> new byte[0];
        };
        return new Mutator.Frame(type.code() << 4 | flags, body.length, body).encode();
    }

    private static void write(ByteArrayOutputStream out, byte[] b) {
        out.write(b, 0, b.length);
    }

    private byte[] random(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private <T> T pick(List<T> list) {
        return list.isEmpty() ? null : list.get(rnd.nextInt(list.size()));
    }
}
