package io.switchboard.rules.sql;

import io.switchboard.rules.sql.SqlValue.ArrayValue;
import io.switchboard.rules.sql.SqlValue.BinaryValue;
import io.switchboard.rules.sql.SqlValue.DecimalValue;
import io.switchboard.rules.sql.SqlValue.IntValue;
import io.switchboard.rules.sql.SqlValue.ObjectValue;
import io.switchboard.rules.sql.SqlValue.StringValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The operators of AWS IoT SQL, as the tables of its reference ("Operators") define them. Each takes the
 * evaluated operands and returns a value, Undefined where a table says so.
 */
final class Operators {
    private Operators() {
    }

    enum Arithmetic {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), REMAINDER("%");

        final String symbol;

        Arithmetic(String symbol) {
            this.symbol = symbol;
        }
    }

    enum Comparison {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }
    }

    /**
     * {@code + - * / %}. Undefined on either side is Undefined. "+" with a String on either side converts the
     * other to a String and concatenates; Int with Int is an Int (a Decimal past the range of a long); Int or
     * Decimal with a Decimal is a Decimal; for {@code - * / %} Strings that look like numbers are converted
     * ("If all strings convert to decimals correctly, a Decimal value is returned"). Anything else, Boolean
     * included, is Undefined; so is division by zero.
     */
    static SqlValue arithmetic(Arithmetic op, SqlValue l, SqlValue r) {
        if (l == SqlValue.UNDEFINED || r == SqlValue.UNDEFINED) {
            return SqlValue.UNDEFINED;
        }
        if (l instanceof IntValue a && r instanceof IntValue b) {
            return ints(op, a.value(), b.value());
        }
        if (op == Arithmetic.ADD && (l instanceof StringValue || r instanceof StringValue)) {
            String ls = Conversions.toText(l);
            String rs = Conversions.toText(r);
            return ls == null || rs == null ? SqlValue.UNDEFINED : SqlValue.of(ls.concat(rs));
        }
        SqlValue ln;
        SqlValue rn;
        if (op == Arithmetic.ADD) {
            ln = l instanceof IntValue || l instanceof DecimalValue ? l : null;
            rn = r instanceof IntValue || r instanceof DecimalValue ? r : null;
        } else {
            ln = Conversions.toNumber(l);
            rn = Conversions.toNumber(r);
        }
        if (ln == null || rn == null) {
            return SqlValue.UNDEFINED;
        }
        if (ln instanceof IntValue a && rn instanceof IntValue b && !(l instanceof StringValue)
                && !(r instanceof StringValue)) {
            return ints(op, a.value(), b.value());
        }
        return decimals(op, Conversions.toDecimal(ln), Conversions.toDecimal(rn));
    }

    private static SqlValue ints(Arithmetic op, long a, long b) {
        try {
            switch (op) {
                case ADD:
                    return SqlValue.of(Math.addExact(a, b));
                case SUBTRACT:
                    return SqlValue.of(Math.subtractExact(a, b));
                case MULTIPLY:
                    return SqlValue.of(Math.multiplyExact(a, b));
                case DIVIDE:
                    // "Int | Int | Int value. Divides the left operand by the right operand."
                    if (b == 0) {
                        return SqlValue.UNDEFINED;
                    }
                    if (a == Long.MIN_VALUE && b == -1) {
                        break;
                    }
                    return SqlValue.of(a / b);
                default:
                    return b == 0 ? SqlValue.UNDEFINED : SqlValue.of(a % b);
            }
        } catch (ArithmeticException overflow) {
            // past the range of a long: exact, as Decimals
        }
        return decimals(op, BigDecimal.valueOf(a), BigDecimal.valueOf(b));
    }

    private static SqlValue decimals(Arithmetic op, BigDecimal a, BigDecimal b) {
        try {
            return decimalsExact(op, a, b);
        } catch (ArithmeticException e) {
            // e.g. "Division impossible": the remainder of a quotient of more than 34 digits
            return SqlValue.UNDEFINED;
        }
    }

    private static SqlValue decimalsExact(Arithmetic op, BigDecimal a, BigDecimal b) {
        BigDecimal r;
        switch (op) {
            case ADD:
                r = a.add(b, Conversions.PRECISION);
                break;
            case SUBTRACT:
                r = a.subtract(b, Conversions.PRECISION);
                break;
            case MULTIPLY:
                r = a.multiply(b, Conversions.PRECISION);
                break;
            case DIVIDE:
                if (b.signum() == 0) {
                    return SqlValue.UNDEFINED;
                }
                r = a.divide(b, Conversions.PRECISION);
                break;
            default:
                if (b.signum() == 0) {
                    return SqlValue.UNDEFINED;
                }
                r = a.remainder(b, Conversions.PRECISION);
        }
        return inRange(r) ? SqlValue.decimal(r) : SqlValue.UNDEFINED;
    }

    /** "a minimum non-zero magnitude of 1E-999 and a maximum magnitude 9.999...E999". */
    static boolean inRange(BigDecimal d) {
        if (d.signum() == 0) {
            return true;
        }
        long exponent = (long) d.precision() - d.scale() - 1;
        return exponent >= -999 && exponent <= 999;
    }

    /** Unary minus: a number negated, a numeric String converted; else Undefined. */
    static SqlValue negate(SqlValue v) {
        if (v instanceof IntValue i && i.value() != Long.MIN_VALUE) {
            return SqlValue.of(-i.value());
        }
        BigDecimal d = Conversions.toDecimal(v);
        return d == null ? SqlValue.UNDEFINED : SqlValue.decimal(d.negate());
    }

    /**
     * {@code = <> < <= > >=}. Undefined on either side is Undefined. The ordering operators convert both sides
     * to Decimal (Strings that look like numbers included) and are Undefined when one cannot be. {@code =}
     * compares numbers by value (an Int is converted to Decimal), Strings, Booleans, Arrays item by item in
     * order, Objects key by key in any order; Null equals Null; mismatched types are not equal.
     */
    static SqlValue compare(Comparison op, SqlValue l, SqlValue r) {
        if (l == SqlValue.UNDEFINED || r == SqlValue.UNDEFINED) {
            return SqlValue.UNDEFINED;
        }
        switch (op) {
            case EQ:
                return SqlValue.of(equal(l, r));
            case NE:
                return SqlValue.of(!equal(l, r));
            default:
                break;
        }
        int c;
        if (l instanceof IntValue a && r instanceof IntValue b) {
            c = Long.compare(a.value(), b.value());
        } else {
            BigDecimal a = Conversions.toDecimal(l);
            BigDecimal b = Conversions.toDecimal(r);
            if (a == null || b == null) {
                return SqlValue.UNDEFINED;
            }
            c = a.compareTo(b);
        }
        switch (op) {
            case LT:
                return SqlValue.of(c < 0);
            case LE:
                return SqlValue.of(c <= 0);
            case GT:
                return SqlValue.of(c > 0);
            default:
                return SqlValue.of(c >= 0);
        }
    }

    /** Equality of two defined values, as {@code =} decides it. */
    static boolean equal(SqlValue l, SqlValue r) {
        if (l instanceof IntValue a && r instanceof IntValue b) {
            return a.value() == b.value();
        }
        if ((l instanceof IntValue || l instanceof DecimalValue)
                && (r instanceof IntValue || r instanceof DecimalValue)) {
            return Conversions.toDecimal(l).compareTo(Conversions.toDecimal(r)) == 0;
        }
        if (l instanceof ArrayValue a && r instanceof ArrayValue b) {
            List<SqlValue> x = a.items();
            List<SqlValue> y = b.items();
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (l instanceof ObjectValue a && r instanceof ObjectValue b) {
            Map<String, SqlValue> x = a.members();
            Map<String, SqlValue> y = b.members();
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<String, SqlValue> e : x.entrySet()) {
                SqlValue other = y.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (l instanceof BinaryValue || r instanceof BinaryValue) {
            return l.equals(r);
        }
        // String, Boolean, Null, and mismatched types ("Mismatched Type | Mismatched Type | False")
        return l.equals(r);
    }

    /** The Boolean a logical operator sees: a Boolean, or "true"/"false" in any case; else null. */
    static Boolean logical(SqlValue v) {
        return Conversions.toBoolean(v);
    }

    /** NOT: the opposite Boolean, for a Boolean or "true"/"false"; else Undefined. */
    static SqlValue not(SqlValue v) {
        Boolean b = logical(v);
        return b == null ? SqlValue.UNDEFINED : SqlValue.of(!b);
    }
}
