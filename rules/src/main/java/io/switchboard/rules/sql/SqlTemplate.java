package io.switchboard.rules.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A substitution template of an action ({@code devices/${topic(2)}/normalised}, a URL, a header): text
 * with {@code ${expression}} parts, each an expression of the rules' SQL evaluated against the message
 * the rule ran on (its payload fields, {@code topic()}, {@code clientid()}...), as AWS IoT's
 * substitution templates are. A part that is Undefined or Null becomes empty text; an object or an
 * array its JSON. Parsed and checked once, when the rule is loaded; rendering allocates only the text.
 */
public final class SqlTemplate {
    private final String text;
    /** Literal text and compiled expressions, in order. */
    private final List<Object> parts;
    private final boolean readsPayloadJson;

    private SqlTemplate(String text, List<Object> parts, boolean readsPayloadJson) {
        this.text = text;
        this.parts = parts;
        this.readsPayloadJson = readsPayloadJson;
    }

    /**
     * Parses a template.
     *
     * @throws SqlException for an unclosed {@code ${}} or an expression that does not parse, with the
     *     line and column in {@code text}
     */
    public static SqlTemplate parse(String text) throws SqlException {
        Objects.requireNonNull(text, "text");
        List<Object> parts = new ArrayList<>();
        List<SqlError> errors = new ArrayList<>();
        boolean json = false;
        int i = 0;
        StringBuilder literal = new StringBuilder();
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                literal.append(text, i, text.length());
                break;
            }
            literal.append(text, i, open);
            int close = closing(text, open + 2);
            if (close < 0) {
                int[] lc = Diagnostics.lineColumn(text, open);
                errors.add(new SqlError(lc[0], lc[1], "the substitution ${ is not closed", "end it with }"));
                break;
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            String source = text.substring(open + 2, close);
            Diagnostics d = new Diagnostics(source);
            Expr e = Parser.expressionOnly(d);
            if (e == null) {
                for (SqlError err : d.errors()) {
                    // a position in the expression, as a position in the template
                    int[] lc = Diagnostics.lineColumn(text, open + 2 + offsetOf(source, err.line(), err.column()));
                    errors.add(new SqlError(lc[0], lc[1], err.message(), err.hint()));
                }
            } else {
                parts.add(e);
                json |= readsJson(e);
            }
            i = close + 1;
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        if (!errors.isEmpty()) {
            throw new SqlException(errors);
        }
        return new SqlTemplate(text, List.copyOf(parts), json);
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    /** Whether it has no substitution. */
    public boolean isConstant() {
        return parts.stream().noneMatch(p -> p instanceof Expr);
    }

    /** Whether a substitution reads a field of the payload's JSON. */
    public boolean readsPayloadJson() {
        return readsPayloadJson;
    }

    /**
     * The text for one message. Throws {@link IllegalArgumentException} with the reason when a
     * substitution cannot be evaluated (it reads JSON fields of a payload that is not JSON).
     */
    public String render(RuleInput input) {
        if (parts.size() == 1 && parts.get(0) instanceof String s) {
            return s;
        }
        if (readsPayloadJson && !input.isJson()) {
            throw new IllegalArgumentException("the template '" + text + "' reads fields of the payload's JSON, and"
                    + " the payload is not JSON");
        }
        StringBuilder out = new StringBuilder();
        Scope scope = Scope.top(input);
        for (Object p : parts) {
            if (p instanceof String s) {
                out.append(s);
            } else {
                try {
                    String v = Conversions.toText(((Expr) p).eval(scope));
                    if (v != null) {
                        out.append(v);
                    }
                } catch (EvalError e) {
                    throw new IllegalArgumentException("the template '" + text + "': " + e.getMessage());
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    /** The '}' that closes a substitution starting at {@code from}, skipping quoted strings and nested braces. */
    private static int closing(String s, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private static int offsetOf(String s, int line, int column) {
        int offset = 0;
        for (int l = 1; l < line && offset < s.length(); offset++) {
            if (s.charAt(offset) == '\n') {
                l++;
            }
        }
        return Math.min(s.length(), offset + column - 1);
    }

    private static boolean readsJson(Expr e) {
        return e instanceof Expr.Field || e.children().stream().anyMatch(SqlTemplate::readsJson);
    }
}
