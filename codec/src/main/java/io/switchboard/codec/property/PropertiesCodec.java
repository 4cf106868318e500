package io.switchboard.codec.property;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.MqttDecodeException;
import io.switchboard.codec.wire.MqttStrings;
import io.switchboard.codec.wire.VariableByteInteger;
import java.util.List;

/**
 * Reads and writes a property section (a Variable Byte Integer length, then the properties),
 * enforcing the {@link Property} table in both directions.
 */
public final class PropertiesCodec {
    private PropertiesCodec() {
    }

    /**
     * Decodes a property section.
     *
     * @throws MqttDecodeException Malformed Packet for an unknown identifier, one not allowed in
     *     this packet, a truncated value or ill-formed UTF-8; Protocol Error for a repeated
     *     property that may not repeat or a value outside its range
     */
    public static Properties decode(ByteBuf buf, PropertyScope scope) {
        int length = VariableByteInteger.read(buf, LENGTH_WHAT[scope.ordinal()]);
        if (length == 0) {
            return Properties.EMPTY;
        }
        if (length > buf.readableBytes()) {
            throw MqttDecodeException.malformed(scope + " property length " + length
                    + " is longer than the " + buf.readableBytes() + " bytes left in the packet");
        }
        ByteBuf section = buf.readSlice(length);
        Properties.Builder builder = Properties.builder();
        long seen = 0; // by ordinal: fewer than 64 properties
        while (section.isReadable()) {
            int id = VariableByteInteger.read(section, ID_WHAT[scope.ordinal()]);
            Property p = Property.of(id);
            if (p == null) {
                // Section 2.2.2.2: an identifier not valid for the packet is a Malformed Packet.
                throw MqttDecodeException.malformed(String.format(
                        "unknown property identifier 0x%02X in %s", id, scope));
            }
            if (!p.allowedIn(scope)) {
                throw MqttDecodeException.malformed(p.displayName() + " (0x" + hex(id)
                        + ") is not allowed in " + scope);
            }
            long bit = 1L << p.ordinal();
            boolean again = (seen & bit) != 0;
            seen |= bit;
            if (again && !p.repeatableIn(scope)) {
                throw MqttDecodeException.protocolError(p.displayName() + " appears more than once in "
                        + scope + "; it may appear at most once");
            }
            builder.add(p, readValue(section, p, scope));
        }
        return builder.build();
    }

    /**
     * "{property} in {packet}" for every property and scope, made once: messages for people are built
     * on every decode only if they are ready-made (a PUBLISH with the request/response properties
     * otherwise allocated 5 KB of them per packet).
     */
    private static final String[][] WHAT = new String[Property.values().length][PropertyScope.values().length];
    private static final String[][] WHAT_NAME = new String[Property.values().length][PropertyScope.values().length];
    private static final String[][] WHAT_VALUE = new String[Property.values().length][PropertyScope.values().length];

    private static final String[] LENGTH_WHAT = new String[PropertyScope.values().length];
    private static final String[] ID_WHAT = new String[PropertyScope.values().length];

    static {
        for (PropertyScope scope : PropertyScope.values()) {
            LENGTH_WHAT[scope.ordinal()] = scope + " property length";
            ID_WHAT[scope.ordinal()] = scope + " property identifier";
        }
        for (Property p : Property.values()) {
            for (PropertyScope scope : PropertyScope.values()) {
                String what = p.displayName() + " in " + scope;
                WHAT[p.ordinal()][scope.ordinal()] = what;
                WHAT_NAME[p.ordinal()][scope.ordinal()] = what + " name";
                WHAT_VALUE[p.ordinal()][scope.ordinal()] = what + " value";
            }
        }
    }

    private static Object readValue(ByteBuf buf, Property p, PropertyScope scope) {
        String what = WHAT[p.ordinal()][scope.ordinal()];
        Object value = switch (p.type()) {
            case BYTE -> {
                requireReadable(buf, 1, what);
                yield (int) buf.readUnsignedByte();
            }
            case TWO_BYTE_INTEGER -> {
                requireReadable(buf, 2, what);
                yield buf.readUnsignedShort();
            }
            case FOUR_BYTE_INTEGER -> {
                requireReadable(buf, 4, what);
                yield buf.readUnsignedInt();
            }
            case VARIABLE_BYTE_INTEGER -> VariableByteInteger.read(buf, what);
            case UTF8_STRING -> MqttStrings.readString(buf, what);
            case BINARY_DATA -> MqttStrings.readBinary(buf, what);
            case UTF8_STRING_PAIR -> new UserProperty(
                    MqttStrings.readString(buf, WHAT_NAME[p.ordinal()][scope.ordinal()]),
                    MqttStrings.readString(buf, WHAT_VALUE[p.ordinal()][scope.ordinal()]));
        };
        if (p.isNumeric()) {
            long v = ((Number) value).longValue();
            if (v < p.min() || v > p.max()) {
                throw new MqttDecodeException(p.outOfRangeReasonCode(), p.displayName() + " " + v
                        + " is out of range in " + scope + "; allowed " + p.min() + ".." + p.max());
            }
        }
        return value;
    }

    private static void requireReadable(ByteBuf buf, int n, String what) {
        if (buf.readableBytes() < n) {
            throw MqttDecodeException.malformed(what + " is truncated");
        }
    }

    /** The size of the property section's content, without its length prefix. */
    public static int contentSize(Properties props, PropertyScope scope) {
        if (props == Properties.EMPTY) {
            return 0; // the common case, without walking the table
        }
        int size = 0;
        for (Property p : Property.values()) {
            Object v = props.get(p);
            if (v == null) {
                continue;
            }
            if (!p.allowedIn(scope)) {
                throw new IllegalArgumentException(p.displayName() + " may not be sent in " + scope);
            }
            if (v instanceof List<?> list) {
                if (list.size() > 1 && !p.repeatableIn(scope)) {
                    throw new IllegalArgumentException(p.displayName() + " may not repeat in " + scope);
                }
                for (Object item : list) {
                    size += 1 + valueSize(p, item);
                }
            } else {
                size += 1 + valueSize(p, v);
            }
        }
        return size;
    }

    /** The size of the whole property section: its length prefix and content. */
    public static int sectionSize(int contentSize) {
        return VariableByteInteger.size(contentSize) + contentSize;
    }

    private static int valueSize(Property p, Object v) {
        return switch (p.type()) {
            case BYTE -> 1;
            case TWO_BYTE_INTEGER -> 2;
            case FOUR_BYTE_INTEGER -> 4;
            case VARIABLE_BYTE_INTEGER -> VariableByteInteger.size((Integer) v);
            case UTF8_STRING -> MqttStrings.stringSize((String) v);
            case BINARY_DATA -> 2 + ((byte[]) v).length;
            case UTF8_STRING_PAIR -> MqttStrings.stringSize(((UserProperty) v).name())
                    + MqttStrings.stringSize(((UserProperty) v).value());
        };
    }

    /** Writes the section; {@code contentSize} must come from {@link #contentSize} for the same properties. */
    public static void encode(ByteBuf buf, Properties props, int contentSize) {
        VariableByteInteger.write(buf, contentSize);
        if (contentSize == 0) {
            return;
        }
        for (Property p : Property.values()) {
            Object v = props.get(p);
            if (v instanceof List<?> list) {
                for (Object item : list) {
                    writeValue(buf, p, item);
                }
            } else if (v != null) {
                writeValue(buf, p, v);
            }
        }
    }

    private static void writeValue(ByteBuf buf, Property p, Object v) {
        buf.writeByte(p.id());
        switch (p.type()) {
            case BYTE -> buf.writeByte((Integer) v);
            case TWO_BYTE_INTEGER -> buf.writeShort((Integer) v);
            case FOUR_BYTE_INTEGER -> buf.writeInt((int) (long) (Long) v);
            case VARIABLE_BYTE_INTEGER -> VariableByteInteger.write(buf, (Integer) v);
            case UTF8_STRING -> MqttStrings.writeString(buf, (String) v);
            case BINARY_DATA -> MqttStrings.writeBinary(buf, (byte[]) v);
            case UTF8_STRING_PAIR -> {
                MqttStrings.writeString(buf, ((UserProperty) v).name());
                MqttStrings.writeString(buf, ((UserProperty) v).value());
            }
        }
    }

    private static String hex(int id) {
        return String.format("%02X", id);
    }
}
