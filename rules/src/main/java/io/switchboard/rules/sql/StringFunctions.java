package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Functions.Def;
import io.switchboard.rules.sql.Functions.Fn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * String functions. Arguments that are not Strings get the standard String conversion (Null and Undefined have
 * none, so a function given one returns Undefined). Lengths and indices count characters (code points).
 */
final class StringFunctions {
    private StringFunctions() {
    }

    static List<Def> defs() {
        return List.of(
                new Def("concat", 0, Integer.MAX_VALUE, true, "concat(Any, ...)", "concat('con', 'cat') = \"concat\"",
                        args -> StringFunctions::concat),
                Functions.fixed("lower", 1, "lower(String)", "lower('HELLO') = \"hello\"",
                        (s, a) -> map(a[0], t -> t.toLowerCase(Locale.ROOT))),
                Functions.fixed("upper", 1, "upper(String)", "upper('hello') = \"HELLO\"",
                        (s, a) -> map(a[0], t -> t.toUpperCase(Locale.ROOT))),
                Functions.fixed("length", 1, "length(String)", "length('hi') = 2", (s, a) -> {
                    String t = Functions.text(a[0]);
                    return t == null ? SqlValue.UNDEFINED : SqlValue.of(t.codePointCount(0, t.length()));
                }),
                Functions.fixed("numbytes", 1, "numbytes(String)", "numbytes('€') = 3", (s, a) -> {
                    String t = Functions.text(a[0]);
                    return t == null ? SqlValue.UNDEFINED : SqlValue.of(t.getBytes(StandardCharsets.UTF_8).length);
                }),
                Functions.fixed("substring", 2, 3, "substring(String, Int[, Int])",
                        "substring('012345', 1, 3) = \"12\"",
                        StringFunctions::substring),
                Functions.fixed("trim", 1, "trim(String)", "trim(' hi ') = \"hi\"",
                        (s, a) -> map(a[0], t -> trim(t, true, true))),
                Functions.fixed("ltrim", 1, "ltrim(String)", "ltrim(' h i ') = \"h i \"",
                        (s, a) -> map(a[0], t -> trim(t, true, false))),
                Functions.fixed("rtrim", 1, "rtrim(String)", "rtrim(' h i ') = \" h i\"",
                        (s, a) -> map(a[0], t -> trim(t, false, true))),
                Functions.fixed("lpad", 2, "lpad(String, Int)", "lpad('hello', 2) = \"  hello\"",
                        (s, a) -> pad(a, true)),
                Functions.fixed("rpad", 2, "rpad(String, Int)", "rpad('hello', 2) = \"hello  \"",
                        (s, a) -> pad(a, false)),
                Functions.fixed("replace", 3, "replace(String, String, String)", "replace('abcd', 'bc', 'x') = \"axd\"",
                        (s, a) -> {
                            String t = Functions.text(a[0]);
                            String from = Functions.text(a[1]);
                            String to = Functions.text(a[2]);
                            return t == null || from == null || to == null ? SqlValue.UNDEFINED
                                    : SqlValue.of(t.replace(from, to));
                        }),
                Functions.fixed("indexof", 2, "indexof(String, String)", "indexof('abcd', 'bc') = 1", (s, a) -> {
                    String t = Functions.text(a[0]);
                    String sub = Functions.text(a[1]);
                    if (t == null || sub == null) {
                        return SqlValue.UNDEFINED;
                    }
                    int i = t.indexOf(sub);
                    return SqlValue.of(i < 0 ? -1 : t.codePointCount(0, i));
                }),
                Functions.fixed("startswith", 2, "startswith(String, String)", "startswith('ranger', 'ran') = true",
                        (s, a) -> test(a, String::startsWith)),
                Functions.fixed("endswith", 2, "endswith(String, String)", "endswith('cat', 'at') = true",
                        (s, a) -> test(a, String::endsWith)),
                Functions.fixed("chr", 1, "chr(Int)", "chr(65) = \"A\"", (s, a) -> {
                    if (a[0] instanceof SqlValue.BooleanValue) {
                        return SqlValue.UNDEFINED;
                    }
                    Long n = Conversions.toLongFloor(a[0]);
                    return n == null || n < 0 || n > 127 ? SqlValue.UNDEFINED
                            : SqlValue.of(String.valueOf((char) (long) n));
                }),
                new Def("regexp_matches", 2, 2, true, "regexp_matches(String, String)",
                        "regexp_matches('aaaa', 'a{2,}') = true", args -> regex(args, (m, a) -> SqlValue.of(m.find()))),
                new Def("regexp_replace", 3, 3, true, "regexp_replace(String, String, String)",
                        "regexp_replace('abcd', 'b(.*)d', '$1') = \"ac\"", args -> regex(args, (m, a) -> {
                            String replacement = Functions.text(a[2]);
                            if (replacement == null) {
                                return SqlValue.UNDEFINED;
                            }
                            try {
                                return SqlValue.of(m.replaceAll(replacement));
                            } catch (IllegalArgumentException | IndexOutOfBoundsException badReplacement) {
                                return SqlValue.UNDEFINED;
                            }
                        })),
                new Def("regexp_substr", 2, 2, true, "regexp_substr(String, String)",
                        "regexp_substr('hihihello', '(hi)*') = \"hihi\"",
                        args -> regex(args, (m, a) -> SqlValue.of(m.find() ? m.group() : ""))));
    }

    private static SqlValue map(SqlValue v, java.util.function.UnaryOperator<String> f) {
        String t = Functions.text(v);
        return t == null ? SqlValue.UNDEFINED : SqlValue.of(f.apply(t));
    }

    private static SqlValue test(SqlValue[] a, java.util.function.BiPredicate<String, String> p) {
        String x = Functions.text(a[0]);
        String y = Functions.text(a[1]);
        return x == null || y == null ? SqlValue.UNDEFINED : SqlValue.of(p.test(x, y));
    }

    /**
     * "If any argument is an Array, the result is a single array containing all of the arguments. If no arguments
     * are arrays, and at least one argument is a String, the result is the concatenation of the String
     * representations of all the arguments." With no argument, Undefined.
     */
    private static SqlValue concat(Scope s, SqlValue[] a) {
        if (a.length == 0) {
            return SqlValue.UNDEFINED;
        }
        boolean anyArray = false;
        for (SqlValue v : a) {
            anyArray |= v instanceof SqlValue.ArrayValue;
        }
        if (anyArray) {
            List<SqlValue> items = new ArrayList<>();
            for (SqlValue v : a) {
                if (v instanceof SqlValue.ArrayValue arr) {
                    items.addAll(arr.items());
                } else if (v != SqlValue.UNDEFINED) {
                    items.add(v);
                }
            }
            return SqlValue.array(items);
        }
        StringBuilder out = new StringBuilder();
        for (SqlValue v : a) {
            String t = Functions.text(v);
            if (t == null) {
                return SqlValue.UNDEFINED;
            }
            out.append(t);
        }
        return SqlValue.of(out.toString());
    }

    /**
     * "Indices that are less than zero are set to zero. Indices that are greater than the String length are set to
     * the String length. For the three argument version, if the first index is greater than (or equal to) the
     * second index, the result is the empty String."
     */
    private static SqlValue substring(Scope s, SqlValue[] a) {
        String t = Functions.text(a[0]);
        Long from = Conversions.toLongFloor(a[1]);
        Long to = a.length > 2 ? Conversions.toLongFloor(a[2]) : Long.valueOf(Long.MAX_VALUE);
        if (t == null || from == null || to == null) {
            return SqlValue.UNDEFINED;
        }
        int length = t.codePointCount(0, t.length());
        int start = (int) Math.max(0, Math.min(length, from));
        int end = (int) Math.max(0, Math.min(length, to));
        if (start >= end) {
            return SqlValue.of("");
        }
        return SqlValue.of(t.substring(t.offsetByCodePoints(0, start), t.offsetByCodePoints(0, end)));
    }

    private static String trim(String t, boolean leading, boolean trailing) {
        int start = 0;
        int end = t.length();
        while (leading && start < end && Character.isWhitespace(t.charAt(start))) {
            start++;
        }
        while (trailing && end > start && Character.isWhitespace(t.charAt(end - 1))) {
            end--;
        }
        return t.substring(start, end);
    }

    /** "The Int argument must be between 0 and 1000 ... set to the nearest valid value (0 or 1000)." */
    private static SqlValue pad(SqlValue[] a, boolean left) {
        String t = Functions.text(a[0]);
        Long n = a[1] instanceof SqlValue.BooleanValue ? null : Conversions.toLongFloor(a[1]);
        if (t == null || n == null) {
            return SqlValue.UNDEFINED;
        }
        String spaces = " ".repeat((int) Math.max(0, Math.min(1000, n)));
        return SqlValue.of(left ? spaces + t : t + spaces);
    }

    @FunctionalInterface
    private interface OnMatcher {
        SqlValue apply(Matcher m, SqlValue[] a);
    }

    /**
     * A regular-expression function. A literal pattern is compiled once, when the statement is parsed, and an
     * invalid one refused there; any other pattern is compiled when evaluated (the last one is kept, so a pattern
     * that comes from the payload is compiled again only when it changes) and is Undefined when invalid, as AWS
     * says: "If the (converted) argument is not valid regex, the result is Undefined".
     */
    private static Fn regex(Functions.Args args, OnMatcher f) {
        String literal = args.literalString(1);
        if (literal != null) {
            Pattern p;
            try {
                p = Pattern.compile(literal);
            } catch (PatternSyntaxException e) {
                args.error(1, "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex(),
                        "the pattern is a Java regular expression (java.util.regex)");
                return (s, a) -> SqlValue.UNDEFINED;
            }
            return (s, a) -> {
                String t = Functions.text(a[0]);
                return t == null ? SqlValue.UNDEFINED : f.apply(p.matcher(new Budgeted(t)), a);
            };
        }
        LastPattern cache = new LastPattern();
        return (s, a) -> {
            String t = Functions.text(a[0]);
            Pattern p = cache.compile(Functions.text(a[1]));
            return t == null || p == null ? SqlValue.UNDEFINED : f.apply(p.matcher(new Budgeted(t)), a);
        };
    }

    /**
     * The text a pattern runs over, counting the characters the matcher reads: a pattern that backtracks
     * catastrophically on some payload (say {@code ^(.*a){12}$} on forty a's and a '!') is stopped after a
     * budget proportional to the text, and the call fails (a {@link Evaluation.Kind#RUNTIME_ERROR} at the call)
     * instead of holding the thread.
     */
    static final class Budgeted implements CharSequence {
        static final long BASE_BUDGET = 1_000_000;
        static final long PER_CHARACTER = 1_000;

        private final String text;
        private long left;

        Budgeted(String text) {
            this.text = text;
            this.left = BASE_BUDGET + PER_CHARACTER * text.length();
        }

        private Budgeted(String text, long left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new IllegalStateException("the regular expression needs too many steps on this text ("
                        + text.length() + " characters)");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The last pattern compiled for one call site; a benign race between threads at worst compiles twice. */
    private static final class LastPattern {
        private volatile Pattern last;

        Pattern compile(String regex) {
            if (regex == null) {
                return null;
            }
            Pattern p = last;
            if (p != null && p.pattern().equals(regex)) {
                return p;
            }
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                return null;
            }
            last = p;
            return p;
        }
    }
}
