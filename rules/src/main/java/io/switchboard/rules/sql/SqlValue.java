package io.switchboard.rules.sql;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A value of AWS IoT SQL (version 2016-03-23): the JSON types, plus {@code Undefined} (not a value: a
 * missing key, a function given arguments it cannot use) and the raw bytes of a payload that is not JSON.
 *
 * <p>Immutable, and safe to share between threads: collections are unmodifiable views of lists and maps
 * that nothing changes after construction. A {@link BinaryValue} wraps the message's own bytes, uncopied.
 *
 * <p>Numbers follow SQL version 2016-03-23: "numeric values that are whole numbers, such as 10.0, are
 * processed as an Int value (10)" (AWS IoT SQL reference, Data types), so {@link #decimal} returns an
 * {@link IntValue} for a whole number and a {@link DecimalValue} never holds one that fits a long.
 */
public sealed interface SqlValue
        permits SqlValue.UndefinedValue, SqlValue.NullValue, SqlValue.BooleanValue, SqlValue.IntValue,
                SqlValue.DecimalValue, SqlValue.StringValue, SqlValue.ArrayValue, SqlValue.ObjectValue,
                SqlValue.BinaryValue {

    /** The type, as AWS names it (plus {@code Binary} for a payload that is not JSON). */
    SqlType type();

    SqlValue UNDEFINED = UndefinedValue.INSTANCE;
    SqlValue NULL = NullValue.INSTANCE;
    SqlValue TRUE = BooleanValue.TRUE;
    SqlValue FALSE = BooleanValue.FALSE;

    static SqlValue of(boolean b) {
        return b ? BooleanValue.TRUE : BooleanValue.FALSE;
    }

    static IntValue of(long n) {
        return IntValue.of(n);
    }

    static StringValue of(String s) {
        return new StringValue(s);
    }

    /** A Decimal with 34-digit precision: a whole number comes back as an {@link IntValue} when it fits. */
    static SqlValue decimal(BigDecimal d) {
        if (d.signum() == 0) {
            return IntValue.ZERO;
        }
        BigDecimal stripped = d.scale() <= 0 ? d : d.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
            try {
                return IntValue.of(stripped.longValueExact());
            } catch (ArithmeticException beyondLong) {
                // a whole number outside the range of a long stays a Decimal
            }
        }
        return new DecimalValue(stripped);
    }

    /** A Decimal "with double precision" (what the math functions return); NaN and infinities are Undefined. */
    static SqlValue ofDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return UNDEFINED;
        }
        return decimal(BigDecimal.valueOf(d));
    }

    static ArrayValue array(List<SqlValue> items) {
        return new ArrayValue(Collections.unmodifiableList(items));
    }

    static ObjectValue object(Map<String, SqlValue> members) {
        return new ObjectValue(Collections.unmodifiableMap(members));
    }

    /** Not a value: omitted from an output object; a WHERE clause that evaluates to it is false. */
    enum UndefinedValue implements SqlValue {
        INSTANCE;

        @Override
        public SqlType type() {
            return SqlType.UNDEFINED;
        }

        @Override
        public String toString() {
            return "Undefined";
        }
    }

    /** JSON's null: an actual value that says there is none. */
    enum NullValue implements SqlValue {
        INSTANCE;

        @Override
        public SqlType type() {
            return SqlType.NULL;
        }

        @Override
        public String toString() {
            return "null";
        }
    }

    enum BooleanValue implements SqlValue {
        TRUE, FALSE;

        public boolean value() {
            return this == TRUE;
        }

        @Override
        public SqlType type() {
            return SqlType.BOOLEAN;
        }

        @Override
        public String toString() {
            return this == TRUE ? "true" : "false";
        }
    }

    /** An Int. AWS allows 34 digits; here an Int is a long, and a larger whole number a {@link DecimalValue}. */
    record IntValue(long value) implements SqlValue {
        static final IntValue ZERO = new IntValue(0);
        private static final IntValue[] SMALL = new IntValue[256];

        static {
            for (int i = 0; i < SMALL.length; i++) {
                SMALL[i] = new IntValue(i - 128);
            }
        }

        static IntValue of(long n) {
            return n >= -128 && n < 128 ? SMALL[(int) n + 128] : new IntValue(n);
        }

        @Override
        public SqlType type() {
            return SqlType.INT;
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A Decimal of up to 34 significant digits, without trailing zeros. */
    record DecimalValue(BigDecimal value) implements SqlValue {
        @Override
        public SqlType type() {
            return SqlType.DECIMAL;
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    record StringValue(String value) implements SqlValue {
        @Override
        public SqlType type() {
            return SqlType.STRING;
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    record ArrayValue(List<SqlValue> items) implements SqlValue {
        @Override
        public SqlType type() {
            return SqlType.ARRAY;
        }
    }

    /** A JSON object; its members keep their order. */
    record ObjectValue(Map<String, SqlValue> members) implements SqlValue {
        /** The member, or Undefined. */
        public SqlValue get(String key) {
            SqlValue v = members.get(key);
            return v == null ? UNDEFINED : v;
        }

        @Override
        public SqlType type() {
            return SqlType.OBJECT;
        }
    }

    /** The raw bytes of a payload that is not JSON ({@code *} on a binary payload), not copied. */
    final class BinaryValue implements SqlValue {
        private final byte[] bytes;

        BinaryValue(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The bytes themselves, not a copy: do not change them. */
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public SqlType type() {
            return SqlType.BINARY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BinaryValue b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary(" + bytes.length + " bytes)";
        }
    }
}
