package io.switchboard.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client group's query, in the grammar of Azure Event Grid's client groups, so that documented
 * Azure set-ups paste in:
 *
 * <pre>
 * query      = or
 * or         = and ( "or" and )*            "and" binds tighter than "or"
 * and        = primary ( "and" primary )*
 * primary    = "(" or ")" | comparison
 * comparison = operand op value | operand "IN" "[" value ( "," value )* "]"
 * operand    = "authenticationName" | "attributes." key
 * op         = "=" | "&lt;&gt;" | "!=" | "&lt;" | "&gt;" | "&lt;=" | "&gt;="
 * value      = 'text' | "text" | integer
 * </pre>
 *
 * Keywords are case-insensitive. A comparison is true when the client's value (or, for a list
 * attribute, any element of it) compares so with the value; an attribute the client does not have,
 * or a value of the other type (text against an integer), makes it false, whatever the operator:
 * a query never grants by what it cannot see. {@code <, >, <=, >=} compare integers only.
 */
public final class GroupQuery {
    private final String text;
    private final Node root;

    private GroupQuery(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses {@code query}; throws {@link QueryException} saying where and what was expected. */
    public static GroupQuery parse(String query) {
        Objects.requireNonNull(query, "query");
        Parser p = new Parser(query);
        Node root = p.or();
        p.skipSpace();
        if (p.pos < query.length()) {
            throw p.error("expected 'and', 'or' or the end of the query");
        }
        return new GroupQuery(query, root);
    }

    /**
     * Whether a client with this authentication name and these attributes (values: String, Long or
     * Integer, or a List of String) is in the group.
     */
    public boolean matches(String authenticationName, Map<String, ?> attributes) {
        return root.test(authenticationName, attributes);
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node {
        boolean test(String name, Map<String, ?> attributes);
    }

    private enum Op {
        EQ, NE, LT, GT, LE, GE;

        boolean holds(int cmp) {
            return switch (this) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case GT -> cmp > 0;
                case LE -> cmp <= 0;
                case GE -> cmp >= 0;
            };
        }

        boolean ordering() {
            return this != EQ && this != NE;
        }
    }

    /** A literal: a String or a Long. */
    private record Comparison(String attribute, Op op, List<Object> values) implements Node {
        @Override
        public boolean test(String name, Map<String, ?> attributes) {
            Object actual = attribute == null ? name : attributes.get(attribute);
            if (actual instanceof List<?> list) {
                for (Object element : list) {
                    if (one(element)) {
                        return true;
                    }
                }
                return false;
            }
            return one(actual);
        }

        private boolean one(Object actual) {
            if (actual == null) {
                return false;
            }
            for (Object expected : values) {
                if (holds(actual, expected)) {
                    return true; // IN: any of the values
                }
            }
            return false;
        }

        private boolean holds(Object actual, Object expected) {
            if (expected instanceof Long e && (actual instanceof Long || actual instanceof Integer)) {
                return op.holds(Long.compare(((Number) actual).longValue(), e));
            }
            if (expected instanceof String e && actual instanceof String a && !op.ordering()) {
                return op.holds(a.equals(e) ? 0 : 1);
            }
            return false; // another type, or an ordering of text
        }
    }

    private record And(List<Node> all) implements Node {
        @Override
        public boolean test(String name, Map<String, ?> attributes) {
            for (Node n : all) {
                if (!n.test(name, attributes)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Or(List<Node> any) implements Node {
        @Override
        public boolean test(String name, Map<String, ?> attributes) {
            for (Node n : any) {
                if (n.test(name, attributes)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Recursive descent over the query text; {@code pos} is the next character. */
    private static final class Parser {
        private static final int MAX_DEPTH = 64;
        private final String s;
        int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        QueryException error(String message) {
            return new QueryException(s, Math.min(pos, s.length()), message);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        /** Whether the keyword comes next (as a whole word); consumes it if so. */
        boolean keyword(String word) {
            skipSpace();
            int end = pos + word.length();
            if (end <= s.length() && s.regionMatches(true, pos, word, 0, word.length())
                    && (end == s.length() || !isWordChar(s.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        boolean symbol(String symbol) {
            skipSpace();
            if (s.startsWith(symbol, pos)) {
                pos += symbol.length();
                return true;
            }
            return false;
        }

        Node or() {
            List<Node> any = new ArrayList<>();
            any.add(and());
            while (keyword("or")) {
                any.add(and());
            }
            return any.size() == 1 ? any.get(0) : new Or(List.copyOf(any));
        }

        Node and() {
            List<Node> all = new ArrayList<>();
            all.add(primary());
            while (keyword("and")) {
                all.add(primary());
            }
            return all.size() == 1 ? all.get(0) : new And(List.copyOf(all));
        }

        Node primary() {
            if (symbol("(")) {
                if (++depth > MAX_DEPTH) {
                    throw error("parentheses nested deeper than " + MAX_DEPTH);
                }
                Node inner = or();
                if (!symbol(")")) {
                    throw error("expected ')'");
                }
                depth--;
                return inner;
            }
            return comparison();
        }

        Node comparison() {
            skipSpace();
            int start = pos;
            String operand = word();
            String attribute;
            if (operand.equals("authenticationName")) {
                attribute = null;
            } else if (operand.startsWith("attributes.") && operand.length() > "attributes.".length()) {
                attribute = operand.substring("attributes.".length());
            } else {
                pos = start;
                throw error(operand.isEmpty() ? "expected authenticationName or attributes.<key>"
                        : "unknown operand '" + operand + "': allowed authenticationName or attributes.<key>");
            }
            if (keyword("in")) {
                if (!symbol("[")) {
                    throw error("expected '[' after IN");
                }
                List<Object> values = new ArrayList<>();
                values.add(value());
                while (symbol(",")) {
                    values.add(value());
                }
                if (!symbol("]")) {
                    throw error("expected ',' or ']'");
                }
                return new Comparison(attribute, Op.EQ, List.copyOf(values));
            }
            Op op = op();
            int at = pos;
            Object value = value();
            if (op.ordering() && !(value instanceof Long)) {
                pos = at;
                skipSpace();
                throw error("'" + symbolOf(op) + "' compares integers: expected an integer");
            }
            return new Comparison(attribute, op, List.of(value));
        }

        private static String symbolOf(Op op) {
            return switch (op) {
                case LT -> "<";
                case GT -> ">";
                case LE -> "<=";
                case GE -> ">=";
                default -> "=";
            };
        }

        Op op() {
            skipSpace();
            for (String[] o : new String[][] {{"<=", "LE"}, {">=", "GE"}, {"<>", "NE"}, {"!=", "NE"}, {"=", "EQ"},
                    {"<", "LT"}, {">", "GT"}}) {
                if (s.startsWith(o[0], pos)) {
                    pos += o[0].length();
                    return Op.valueOf(o[1]);
                }
            }
            throw error("expected an operator: =, <>, !=, <, >, <=, >= or IN");
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("expected a value: 'text', \"text\" or an integer");
            }
            char c = s.charAt(pos);
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, pos + 1);
                if (end < 0) {
                    throw error("text not closed: expected " + c);
                }
                String text = s.substring(pos + 1, end);
                pos = end + 1;
                return text;
            }
            int start = pos;
            if (c == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == start || (pos == start + 1 && c == '-')) {
                pos = start;
                throw error("expected a value: 'text', \"text\" or an integer");
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("integer out of range (a 64-bit integer)");
            }
        }

        String word() {
            int start = pos;
            while (pos < s.length() && (isWordChar(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
        }
    }
}
