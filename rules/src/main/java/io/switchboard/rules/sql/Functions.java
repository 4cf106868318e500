package io.switchboard.rules.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The function table: every function a statement may call, by name (case-insensitive, as AWS's examples write
 * {@code Round(1.5)} and {@code isUndefined(x)}), with how many arguments it takes and how to make its
 * implementation for one call. Unknown names and wrong argument counts are refused when the statement is
 * parsed, with the position of the call.
 */
final class Functions {

    /** The implementation of one call: the arguments evaluated, in order. */
    @FunctionalInterface
    interface Fn {
        SqlValue apply(Scope scope, SqlValue[] args);
    }

    /** Makes the implementation of one call, checking what can be checked at load (literal arguments). */
    @FunctionalInterface
    interface Factory {
        Fn create(Args args);
    }

    /**
     * One function. {@code pure} functions depend on their arguments only, so a call with constant arguments is
     * evaluated once, when the statement is parsed. {@code example} is "call = result", shown in
     * docs/rules-sql.md and checked by a test.
     */
    record Def(String name, int min, int max, boolean pure, String signature, String example, Factory factory) {
        String arity() {
            if (min == max) {
                return min + (min == 1 ? " argument" : " arguments");
            }
            if (max == Integer.MAX_VALUE) {
                return "at least " + min + (min == 1 ? " argument" : " arguments");
            }
            return (max - min == 1 ? min + " or " + max : min + " to " + max) + " arguments";
        }
    }

    /** The arguments of one call, while it is compiled. */
    static final class Args {
        final List<Expr> exprs;
        final int callOffset;
        private final Diagnostics diagnostics;

        Args(List<Expr> exprs, int callOffset, Diagnostics diagnostics) {
            this.exprs = exprs;
            this.callOffset = callOffset;
            this.diagnostics = diagnostics;
        }

        int size() {
            return exprs.size();
        }

        Expr get(int i) {
            return exprs.get(i);
        }

        /** The i-th argument's value when it is a String literal, else null. */
        String literalString(int i) {
            if (i < exprs.size() && exprs.get(i) instanceof Expr.Literal l
                    && l.value instanceof SqlValue.StringValue s) {
                return s.value();
            }
            return null;
        }

        boolean literal(int i) {
            return i < exprs.size() && exprs.get(i).constant();
        }

        void error(int i, String message, String hint) {
            diagnostics.error(i < exprs.size() ? exprs.get(i).offset : callOffset, message, hint);
        }
    }

    /** Functions of AWS's reference that call AWS services or need an AWS account: refused with that reason. */
    private static final List<String> AWS_ONLY = List.of("accountid", "aws_lambda", "get_dynamodb", "get_secret",
            "get_thing_shadow", "get_registry_data", "machinelearning_predict", "sourceip", "traceid");

    private static final Map<String, Def> TABLE;

    static {
        Map<String, Def> table = new TreeMap<>();
        for (Def d : MessageFunctions.defs()) {
            table.put(d.name().toLowerCase(Locale.ROOT), d);
        }
        for (Def d : StringFunctions.defs()) {
            table.put(d.name().toLowerCase(Locale.ROOT), d);
        }
        for (Def d : MathFunctions.defs()) {
            table.put(d.name().toLowerCase(Locale.ROOT), d);
        }
        for (Def d : ValueFunctions.defs()) {
            table.put(d.name().toLowerCase(Locale.ROOT), d);
        }
        TABLE = Collections.unmodifiableMap(table);
    }

    private Functions() {
    }

    static Def find(String name) {
        return TABLE.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every function, by name. */
    static Map<String, Def> all() {
        return TABLE;
    }

    static boolean awsOnly(String name) {
        return AWS_ONLY.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The known name closest to a misspelt one, or null. */
    static String suggest(String name) {
        List<String> candidates = new ArrayList<>();
        for (Def d : TABLE.values()) {
            candidates.add(d.name());
        }
        candidates.add("cast");
        return Suggestions.closest(name, candidates);
    }

    static Def fixed(String name, int arity, String signature, String example, Fn fn) {
        return new Def(name, arity, arity, true, signature, example, args -> fn);
    }

    static Def fixed(String name, int min, int max, String signature, String example, Fn fn) {
        return new Def(name, min, max, true, signature, example, args -> fn);
    }

    /** A call: the arguments evaluated left to right, then the function applied. */
    static final class Call extends Expr {
        final Def def;
        final Fn fn;
        final Expr[] args;

        Call(int offset, Def def, Fn fn, Expr[] args) {
            super(offset);
            this.def = def;
            this.fn = fn;
            this.args = args;
        }

        @Override
        SqlValue eval(Scope scope) {
            SqlValue[] values = new SqlValue[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(scope);
            }
            try {
                return fn.apply(scope, values);
            } catch (EvalError e) {
                throw e;
            } catch (RuntimeException e) {
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                throw new EvalError(Evaluation.Kind.RUNTIME_ERROR, offset, def.name() + "() failed: " + why);
            }
        }

        @Override
        List<Expr> children() {
            return List.of(args);
        }
    }

    // ---- helpers shared by the function groups ----

    /** The String conversion of an argument, or null (Undefined) for Null and Undefined. */
    static String text(SqlValue v) {
        return Conversions.toText(v);
    }

    static SqlValue string(String s) {
        return s == null ? SqlValue.UNDEFINED : SqlValue.of(s);
    }
}
