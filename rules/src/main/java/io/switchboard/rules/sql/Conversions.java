package io.switchboard.rules.sql;

import io.switchboard.rules.sql.SqlValue.BinaryValue;
import io.switchboard.rules.sql.SqlValue.BooleanValue;
import io.switchboard.rules.sql.SqlValue.DecimalValue;
import io.switchboard.rules.sql.SqlValue.IntValue;
import io.switchboard.rules.sql.SqlValue.StringValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The conversions of AWS's reference ("Data types", Conversions), applied when a value of one type is given
 * where another is expected, and the cast rules of {@code cast()}. Every method returns null where the
 * reference says the result is Undefined, so callers choose what Undefined means for them.
 */
final class Conversions {
    /** Decimal arithmetic: "A Decimal with a precision of 34 digits". */
    static final MathContext PRECISION = MathContext.DECIMAL128;

    /**
     * "AWS IoT attempts to parse strings matching the regular expression: ^-?\d+(\.\d+)?((?i)E-?\d+)?$"
     * (Data types, To Decimal).
     */
    private static final Pattern DECIMAL_STRING = Pattern.compile("^-?\\d+(\\.\\d+)?((?i)E-?\\d+)?$");

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Conversions() {
    }

    /**
     * To Decimal: Int and Decimal as they are, a String that looks like a number; else null (Undefined). Every
     * Decimal in a statement is within AWS's range (magnitude 1E-999 to 9.999E999): literals are checked when
     * parsed, payload numbers and Strings when read, results of arithmetic when made.
     */
    static BigDecimal toDecimal(SqlValue v) {
        if (v instanceof IntValue i) {
            return BigDecimal.valueOf(i.value());
        }
        if (v instanceof DecimalValue d) {
            return d.value();
        }
        if (v instanceof StringValue s) {
            return parseDecimal(s.value());
        }
        return null;
    }

    /** A number, or a String converted to one (the "String/Int/Decimal" rows of the operator tables); else null. */
    static SqlValue toNumber(SqlValue v) {
        if (v instanceof IntValue || v instanceof DecimalValue) {
            return v;
        }
        if (v instanceof StringValue s) {
            BigDecimal d = parseDecimal(s.value());
            return d == null ? null : SqlValue.decimal(d);
        }
        return null;
    }

    static BigDecimal parseDecimal(String s) {
        if (s.isEmpty() || s.length() > 1100 || !DECIMAL_STRING.matcher(s).matches()) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(s, PRECISION);
            return Operators.inRange(d) ? d : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /**
     * To Int for a function argument: a number or numeric String, rounded down, as the reference's functions
     * do ({@code substring("012345", 2.745) = "2345"}, bitand, lpad, chr: "rounded down to the nearest Int"),
     * clamped to the range of a long. Null means Undefined.
     */
    static Long toLongFloor(SqlValue v) {
        if (v instanceof IntValue i) {
            return i.value();
        }
        BigDecimal d = toDecimal(v);
        if (d == null) {
            return null;
        }
        // compared before rounding: rounding a number with a large exponent would write out all its digits
        if (d.compareTo(LONG_MIN) <= 0) {
            return Long.MIN_VALUE;
        }
        if (d.compareTo(LONG_MAX) >= 0) {
            return Long.MAX_VALUE;
        }
        return d.setScale(0, RoundingMode.FLOOR).longValue();
    }

    /**
     * To Boolean: a Boolean, or "true"/"false" in any case; else null (Int and Decimal only with
     * {@code cast}).
     */
    static Boolean toBoolean(SqlValue v) {
        if (v instanceof BooleanValue b) {
            return b.value();
        }
        if (v instanceof StringValue s) {
            if (s.value().equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.value().equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /**
     * To String: Int in standard notation, a Decimal possibly in scientific notation, "true"/"false", an Array
     * or Object serialised to JSON; Null and Undefined have none (null). The bytes of a binary payload are read
     * as UTF-8, so that {@code decode(*, 'base64')} works on a payload that is not JSON.
     */
    static String toText(SqlValue v) {
        if (v instanceof StringValue s) {
            return s.value();
        }
        if (v instanceof IntValue i) {
            return Long.toString(i.value());
        }
        if (v instanceof DecimalValue d) {
            return d.value().toString();
        }
        if (v instanceof BooleanValue b) {
            return b.toString();
        }
        if (v instanceof SqlValue.ArrayValue || v instanceof SqlValue.ObjectValue) {
            return Json.toText(v);
        }
        if (v instanceof BinaryValue b) {
            return new String(b.bytes(), StandardCharsets.UTF_8);
        }
        return null;
    }

    // ---- cast(value AS type): "Cast behaves mostly like the standard conversions, with the addition of the
    // ability to cast numbers to or from Booleans." ----

    static SqlValue castToString(SqlValue v) {
        String s = toText(v);
        return s == null ? SqlValue.UNDEFINED : SqlValue.of(s);
    }

    /** Cast to Int: Boolean true = 1, false = 0; a Decimal or numeric String rounded down. */
    static SqlValue castToInt(SqlValue v) {
        if (v instanceof BooleanValue b) {
            return SqlValue.of(b.value() ? 1 : 0);
        }
        BigDecimal d = toDecimal(v);
        if (d == null) {
            return SqlValue.UNDEFINED;
        }
        return SqlValue.decimal(d.setScale(0, RoundingMode.FLOOR));
    }

    /**
     * Cast to Decimal: Boolean true = 1.0, false = 0.0; with SQL version 2016-03-23 a whole number comes back as
     * an Int ("numeric values that are whole numbers, such as 10.0, return an Int value (10)").
     */
    static SqlValue castToDecimal(SqlValue v) {
        if (v instanceof BooleanValue b) {
            return SqlValue.of(b.value() ? 1 : 0);
        }
        BigDecimal d = toDecimal(v);
        return d == null ? SqlValue.UNDEFINED : SqlValue.decimal(d);
    }

    /** Cast to Double: a Decimal "with double precision". */
    static SqlValue castToDouble(SqlValue v) {
        if (v instanceof BooleanValue b) {
            return SqlValue.of(b.value() ? 1 : 0);
        }
        BigDecimal d = toDecimal(v);
        return d == null ? SqlValue.UNDEFINED : SqlValue.ofDouble(d.doubleValue());
    }

    /** Cast to Boolean: 0 = false and any other number true; "true"/"false" in any case. */
    static SqlValue castToBoolean(SqlValue v) {
        if (v instanceof IntValue i) {
            return SqlValue.of(i.value() != 0);
        }
        if (v instanceof DecimalValue d) {
            return SqlValue.of(d.value().signum() != 0);
        }
        Boolean b = toBoolean(v);
        return b == null ? SqlValue.UNDEFINED : SqlValue.of(b);
    }
}
