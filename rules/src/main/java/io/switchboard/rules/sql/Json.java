package io.switchboard.rules.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON in and out, with Jackson's streaming parser and generator: a payload becomes {@link SqlValue}s in one
 * pass (no intermediate tree), and an output is written straight to bytes.
 *
 * <p>Reading is strict JSON (no NaN, no comments, nothing after the value), so that what is not JSON is the
 * binary payload of AWS's reference rather than a half-read document.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** The JSON value of these bytes, or null when they are not one JSON document. */
    static SqlValue parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    static SqlValue parse(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            SqlValue v = read(p, first);
            return p.nextToken() == null ? v : null;
        } catch (JsonProcessingException notJson) {
            return null;
        } catch (IOException e) {
            // reading a byte array does no I/O: only a parse error can get here
            return null;
        }
    }

    private static SqlValue read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, SqlValue> members = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    members.put(name, read(p, p.nextToken()));
                }
                return SqlValue.object(members);
            }
            case START_ARRAY: {
                ArrayList<SqlValue> items = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(p, next));
                }
                return SqlValue.array(items);
            }
            case VALUE_STRING:
                return SqlValue.of(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return number(new BigDecimal(p.getBigIntegerValue()));
                }
                return SqlValue.of(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return number(p.getDecimalValue());
            case VALUE_TRUE:
                return SqlValue.TRUE;
            case VALUE_FALSE:
                return SqlValue.FALSE;
            case VALUE_NULL:
                return SqlValue.NULL;
            default:
                throw new JsonProcessingException("unexpected " + t, p.currentLocation()) {
                    private static final long serialVersionUID = 1L;
                };
        }
    }

    /**
     * A number of the payload; beyond AWS's Decimal range (magnitude 1E-999 to 9.999E999) it is Undefined, so that
     * no later rounding of {@code 1e999999999} builds a billion-digit integer.
     */
    private static SqlValue number(BigDecimal d) {
        return Operators.inRange(d) ? SqlValue.decimal(d) : SqlValue.UNDEFINED;
    }

    /**
     * The JSON text of a value. Undefined members and items are left out (AWS: Undefined "isn't
     * representable in JSON except by omitting the value"); binary bytes nested in a structure are written as a
     * base64 string.
     */
    static byte[] toBytes(SqlValue v) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String toText(SqlValue v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, SqlValue v) throws IOException {
        if (v instanceof SqlValue.ObjectValue o) {
            g.writeStartObject();
            for (Map.Entry<String, SqlValue> e : o.members().entrySet()) {
                if (e.getValue() != SqlValue.UNDEFINED) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
            }
            g.writeEndObject();
        } else if (v instanceof SqlValue.ArrayValue a) {
            g.writeStartArray();
            for (SqlValue item : a.items()) {
                if (item != SqlValue.UNDEFINED) {
                    write(g, item);
                }
            }
            g.writeEndArray();
        } else if (v instanceof SqlValue.StringValue s) {
            g.writeString(s.value());
        } else if (v instanceof SqlValue.IntValue i) {
            g.writeNumber(i.value());
        } else if (v instanceof SqlValue.DecimalValue d) {
            // plain notation for the usual magnitudes, scientific beyond (as JavaScript writes numbers), so that
            // 9.999E+999 is not a thousand digits
            BigDecimal n = d.value();
            long exponent = (long) n.precision() - n.scale() - 1;
            g.writeNumber(exponent >= 21 || exponent < -7 ? n.toString() : n.toPlainString());
        } else if (v instanceof SqlValue.BooleanValue b) {
            g.writeBoolean(b.value());
        } else if (v instanceof SqlValue.BinaryValue b) {
            g.writeString(Base64.getEncoder().encodeToString(b.bytes()));
        } else {
            // Null; a lone Undefined is never written (the caller writes nothing)
            g.writeNull();
        }
    }
}
