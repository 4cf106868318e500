package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Functions.Def;
import io.switchboard.rules.sql.SqlValue.IntValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Numeric functions. Arguments are Ints, Decimals, or Strings that look like numbers (converted); anything else
 * (Boolean, Null, Array, Object, Undefined) gives Undefined, as each function's table in AWS's reference says. The
 * trigonometric and logarithmic functions work "with double precision".
 */
final class MathFunctions {
    private MathFunctions() {
    }

    static List<Def> defs() {
        return List.of(
                Functions.fixed("abs", 1, "abs(Decimal)", "abs(-5) = 5", (s, a) -> {
                    SqlValue n = Conversions.toNumber(a[0]);
                    if (n instanceof IntValue i && i.value() != Long.MIN_VALUE) {
                        return SqlValue.of(Math.abs(i.value()));
                    }
                    return n == null ? SqlValue.UNDEFINED : SqlValue.decimal(Conversions.toDecimal(n).abs());
                }),
                Functions.fixed("ceil", 1, "ceil(Decimal)", "ceil(1.2) = 2",
                        (s, a) -> round(a[0], RoundingMode.CEILING)),
                Functions.fixed("floor", 1, "floor(Decimal)", "floor(-1.2) = -2",
                        (s, a) -> round(a[0], RoundingMode.FLOOR)),
                // "If the Decimal is equidistant from two Int values (for example, 0.5), the Decimal is rounded up":
                // Round(1.5) = 2 and Round(-1.5) = -2, away from zero
                Functions.fixed("round", 1, "round(Decimal)", "round(1.5) = 2",
                        (s, a) -> round(a[0], RoundingMode.HALF_UP)),
                Functions.fixed("sign", 1, "sign(Decimal)", "sign(-7) = -1", (s, a) -> {
                    SqlValue n = Conversions.toNumber(a[0]);
                    return n == null ? SqlValue.UNDEFINED : SqlValue.of(Conversions.toDecimal(n).signum());
                }),
                Functions.fixed("trunc", 2, "trunc(Decimal, Int)", "trunc(2.3123, 2) = 2.31", MathFunctions::trunc),
                Functions.fixed("mod", 2, "mod(Decimal, Decimal)", "mod(8, 3) = 2", (s, a) -> remainder(a)),
                Functions.fixed("remainder", 2, "remainder(Decimal, Decimal)", "remainder(8, 3) = 2",
                        (s, a) -> remainder(a)),
                Functions.fixed("bitand", 2, "bitand(Int, Int)", "bitand(13, 5) = 5",
                        (s, a) -> bits(a, (x, y) -> x & y)),
                Functions.fixed("bitor", 2, "bitor(Int, Int)", "bitor(8, 5) = 13", (s, a) -> bits(a, (x, y) -> x | y)),
                Functions.fixed("bitxor", 2, "bitxor(Int, Int)", "bitxor(13, 5) = 8",
                        (s, a) -> bits(a, (x, y) -> x ^ y)),
                Functions.fixed("bitnot", 1, "bitnot(Int)", "bitnot(13) = -14", (s, a) -> {
                    Long x = Conversions.toLongFloor(numeric(a[0]));
                    return x == null ? SqlValue.UNDEFINED : SqlValue.of(~x);
                }),
                dbl("sqrt", "sqrt(9) = 3", Math::sqrt),
                dbl("exp", "exp(1) = 2.718281828459045", Math::exp),
                dbl("ln", "ln(1) = 0", Math::log),
                dbl("log", "log(100) = 2", Math::log10),
                dbl("sin", "sin(0) = 0", Math::sin),
                dbl("cos", "cos(0) = 1", Math::cos),
                dbl("tan", "tan(3) = -0.1425465430742778", Math::tan),
                dbl("asin", "asin(0) = 0", Math::asin),
                dbl("acos", "acos(0) = 1.5707963267948966", Math::acos),
                dbl("atan", "atan(0) = 0", Math::atan),
                dbl("sinh", "sinh(2.3) = 4.936961805545957", Math::sinh),
                dbl("cosh", "cosh(2.3) = 5.037220649268761", Math::cosh),
                dbl("tanh", "tanh(2.3) = 0.9800963962661914", Math::tanh),
                dbl2("power", "power(2, 5) = 32", Math::pow),
                dbl2("atan2", "atan2(1, 0) = 1.5707963267948966", Math::atan2),
                new Def("rand", 0, 0, false, "rand()", "rand() = 0.8231909191640703",
                        args -> (s, a) -> SqlValue.ofDouble(ThreadLocalRandom.current().nextDouble())));
    }

    private static SqlValue numeric(SqlValue v) {
        SqlValue n = Conversions.toNumber(v);
        return n == null ? SqlValue.UNDEFINED : n;
    }

    private static SqlValue round(SqlValue v, RoundingMode mode) {
        SqlValue n = Conversions.toNumber(v);
        if (n instanceof IntValue) {
            return n;
        }
        return n == null ? SqlValue.UNDEFINED : SqlValue.decimal(Conversions.toDecimal(n).setScale(0, mode));
    }

    /** "If the second argument is less than zero, it is set to zero. If ... greater than 34, it is set to 34." */
    private static SqlValue trunc(Scope s, SqlValue[] a) {
        SqlValue n = Conversions.toNumber(a[0]);
        Long places = a[1] instanceof SqlValue.StringValue ? null : Conversions.toLongFloor(a[1]);
        if (n == null || places == null) {
            return SqlValue.UNDEFINED;
        }
        if (n instanceof IntValue) {
            return n;
        }
        int scale = (int) Math.max(0, Math.min(34, places));
        return SqlValue.decimal(Conversions.toDecimal(n).setScale(scale, RoundingMode.DOWN));
    }

    private static SqlValue remainder(SqlValue[] a) {
        if (Conversions.toNumber(a[0]) == null || Conversions.toNumber(a[1]) == null) {
            return SqlValue.UNDEFINED;
        }
        return Operators.arithmetic(Operators.Arithmetic.REMAINDER, a[0], a[1]);
    }

    /** "All non-Int numbers are rounded down to the nearest Int"; Strings are converted to Decimals first. */
    private static SqlValue bits(SqlValue[] a, LongBinaryOperator op) {
        Long x = Conversions.toLongFloor(numeric(a[0]));
        Long y = Conversions.toLongFloor(numeric(a[1]));
        return x == null || y == null ? SqlValue.UNDEFINED : SqlValue.of(op.applyAsLong(x, y));
    }

    private static Def dbl(String name, String example, DoubleUnaryOperator f) {
        return Functions.fixed(name, 1, name + "(Decimal)", example, (s, a) -> {
            BigDecimal d = Conversions.toDecimal(a[0]);
            return d == null ? SqlValue.UNDEFINED : SqlValue.ofDouble(f.applyAsDouble(d.doubleValue()));
        });
    }

    private static Def dbl2(String name, String example, DoubleBinaryOperator f) {
        return Functions.fixed(name, 2, name + "(Decimal, Decimal)", example, (s, a) -> {
            BigDecimal x = Conversions.toDecimal(a[0]);
            BigDecimal y = Conversions.toDecimal(a[1]);
            return x == null || y == null ? SqlValue.UNDEFINED
                    : SqlValue.ofDouble(f.applyAsDouble(x.doubleValue(), y.doubleValue()));
        });
    }
}
