package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the tokens of one statement ({@link ExpressionParser} has the expressions):
 *
 * <pre>
 * statement := SELECT [VALUE] item (',' item)* FROM 'topic filter' [WHERE expr]
 * item      := '*' | expr [AS name]
 * nested    := '(' SELECT [VALUE] item (',' item)* FROM expr [WHERE expr] ')'
 * </pre>
 *
 * <p>It reports a problem and carries on: after an error inside a select item it skips to the next ',' or to
 * FROM, after one in WHERE to the end, so one attempt lists every problem it can find.
 */
final class Parser extends ExpressionParser {
    /** What parsing gave, for {@link SqlStatement}. */
    record Parsed(Select select, TopicFilter from, Expr where) {
    }

    private Parser(Diagnostics d, List<Token> tokens) {
        super(d, tokens);
    }

    /** The statement, or null when there were problems (all of them in {@code d}). */
    static Parsed parse(Diagnostics d) {
        List<Token> tokens = Lexer.tokenize(d);
        return new Parser(d, tokens).statement();
    }

    /** One expression and nothing after it (a substitution template's {@code ${...}}), or null on problems. */
    static Expr expressionOnly(Diagnostics d) {
        List<Token> tokens = Lexer.tokenize(d);
        Parser p = new Parser(d, tokens);
        if (p.at(Type.EOF)) {
            d.error(0, "the substitution is empty", "write an expression, e.g. ${topic(2)}");
            return null;
        }
        Expr e;
        try {
            e = p.expression();
        } catch (Sync s) {
            return null;
        }
        if (!p.at(Type.EOF)) {
            d.error(p.peek().start(), "unexpected " + p.describe(p.peek()) + " after the expression",
                    "a substitution holds one expression");
        }
        return d.hasErrors() ? null : e;
    }

    private Parsed statement() {
        Token first = peek();
        if (first.type() == Type.EOF) {
            d.error(0, "the statement is empty", "write SELECT ... FROM '<topic filter>'");
            return null;
        }
        if (!first.is("SELECT")) {
            d.error(first.start(), "a rule's SQL starts with SELECT, found " + describe(first),
                    "write SELECT ... FROM '<topic filter>'");
            while (!at(Type.EOF) && !peek().is("SELECT")) {
                next();
            }
            if (at(Type.EOF)) {
                return null;
            }
            depth = 0;
        }
        next();
        Select select = selectList(true);
        TopicFilter filter = null;
        if (peek().is("FROM")) {
            next();
            filter = topicFilter();
        }
        Expr where = null;
        if (peek().is("WHERE")) {
            next();
            int whereDepth = depth;
            try {
                where = expression();
            } catch (Sync s) {
                skipTo(Set.of(Type.EOF), Set.of(), whereDepth);
            }
        }
        if (!at(Type.EOF)) {
            Token extra = peek();
            d.error(extra.start(), "unexpected " + describe(extra) + " after the end of the statement",
                    extra.is("WHERE") ? "a statement has one WHERE clause: join the conditions with AND"
                            : "a statement is SELECT ... FROM '<topic filter>' [WHERE condition]");
        }
        return d.hasErrors() ? null : new Parsed(select, filter, where);
    }

    /** The select list, up to FROM (which it does not consume). */
    private Select selectList(boolean top) {
        boolean value = false;
        if (peek().is("VALUE") && startsValueExpression(peek(1), peek(2))) {
            next();
            value = true;
        }
        if (peek().is("FROM") || at(Type.EOF)) {
            d.error(peek().start(), "the select list is empty",
                    "select something: SELECT * FROM ... selects the payload");
            return new Select(value, List.of(), top);
        }
        List<Select.Item> items = new ArrayList<>();
        int listDepth = depth;
        while (true) {
            try {
                items.add(item(value, items.size() + 1));
            } catch (Sync s) {
                skipTo(Set.of(Type.COMMA, Type.EOF), Set.of("FROM", "WHERE"), listDepth);
            }
            if (!at(Type.COMMA)) {
                break;
            }
            Token comma = next();
            if (peek().is("FROM") || at(Type.EOF) || (!top && at(Type.RPAREN))) {
                d.error(comma.start(), "expected FROM after the select list, found ','",
                        "remove the comma before FROM");
                break;
            }
            if (value) {
                d.error(comma.start(), "SELECT VALUE takes one expression, found ',' after it",
                        "remove the other items, or drop VALUE to make an object of them");
            }
        }
        Token after = peek();
        if (!after.is("FROM")) {
            if (after.type() == Type.WORD && !Token.isReserved(after.word())) {
                d.error(after.start(), "expected ',' or FROM after a select item, found " + describe(after),
                        "to name the item, write AS " + after.word());
            } else {
                d.error(after.start(), "expected FROM after the select list, found " + describe(after),
                        after.type() == Type.EOF ? "add FROM '<topic filter>'" : "separate items with ','");
            }
            skipTo(Set.of(Type.EOF), Set.of("FROM", "WHERE"), listDepth);
        }
        return new Select(value, items, top);
    }

    /** Whether VALUE is the keyword (rather than a field named "value"): an expression follows it. */
    private static boolean startsValueExpression(Token t, Token after) {
        switch (t.type()) {
            case NUMBER: case STRING: case LPAREN: case LBRACE: case LBRACKET:
                return true;
            case STAR:
                return after.type() == Type.EOF || after.type() == Type.COMMA || after.is("FROM");
            case WORD:
                return !Token.isReserved(t.word()) || t.is("CASE") || t.is("TRUE") || t.is("FALSE") || t.is("NULL")
                        || t.is("NOT");
            default:
                return false;
        }
    }

    private Select.Item item(boolean value, int position) {
        Token t = peek();
        if (!value && t.type() == Type.STAR && (peek(1).type() == Type.COMMA || peek(1).is("FROM")
                || peek(1).type() == Type.EOF || peek(1).type() == Type.RPAREN || peek(1).is("AS"))) {
            next();
            if (peek().is("AS")) {
                fail(peek(), "* cannot be renamed with AS", "to nest the payload under a key, write get(*, 'key') or"
                        + " use SELECT VALUE");
            }
            return new Select.Item(new Expr.Star(t.start()), null, t.start(), true);
        }
        Expr e = expression();
        String name;
        if (peek().is("AS")) {
            Token as = next();
            Token n = peek();
            if (n.type() != Type.WORD || Token.isReserved(n.word())) {
                fail(n, "expected a name after AS, found " + describe(n), "write AS my_name");
            }
            next();
            if (at(Type.DOT)) {
                fail(peek(), "an alias is one name, found '.' after " + n.word(),
                        "write AS " + n.word() + "_" + (peek(1).type() == Type.WORD ? peek(1).word() : "x")
                                + ", or build an object: {'" + n.word() + "': ...}");
            }
            if (value) {
                d.error(as.start(), "SELECT VALUE makes the value itself the output, so it takes no name",
                        "remove AS " + n.word());
            }
            name = n.word();
        } else {
            name = implicitName(e, position);
        }
        return new Select.Item(e, name, e.offset, false);
    }

    /** A field keeps its name ({@code SELECT color.red} gives "red"); anything else is "_" and its position. */
    private static String implicitName(Expr e, int position) {
        if (e instanceof Expr.Field f) {
            return f.name;
        }
        if (e instanceof Expr.Member m) {
            return m.name;
        }
        return "_" + position;
    }

    private TopicFilter topicFilter() {
        Token t = peek();
        if (t.type() != Type.STRING) {
            String hint = "the filter goes in single quotes, e.g. FROM 'sensors/#'";
            if (t.type() != Type.EOF && !(t.type() == Type.WORD && Token.isReserved(t.word()))) {
                int end = nextWhitespace(t.start());
                hint = "write FROM '" + src.substring(t.start(), end) + "'";
                d.dropBetween(t.start(), end); // a '#' in it is explained by this, not as a character of its own
            }
            d.error(t.start(), "expected a topic filter in single quotes after FROM, found " + describe(t), hint);
            skipTo(Set.of(Type.EOF), Set.of("WHERE"), depth);
            return null;
        }
        next();
        String filter = t.text();
        if (t.quote() == '"' && src.charAt(t.start()) == '"') {
            d.error(t.start(), "the topic filter is in double quotes",
                    "AWS IoT SQL wants the topic filter in single quotes: FROM '" + filter + "'");
        }
        String[] problem = TopicFilter.check(filter);
        if (problem != null) {
            d.error(t.start(), problem[0], problem[1]);
            return null;
        }
        return TopicFilter.of(filter);
    }

    private int nextWhitespace(int from) {
        int j = from;
        while (j < src.length() && !Character.isWhitespace(src.charAt(j))) {
            j++;
        }
        return j;
    }

    @Override
    Expr subQuery(Token open) {
        next(); // SELECT
        Select select = selectList(false);
        if (!peek().is("FROM")) {
            throw SYNC; // reported by selectList
        }
        next();
        if (at(Type.STRING)) {
            fail(peek(), "a nested SELECT reads from a field of the payload, not from a topic",
                    "write FROM followed by a field, e.g. (SELECT VALUE n FROM e)");
        }
        Expr from = expression();
        Expr where = null;
        if (peek().is("WHERE")) {
            next();
            where = expression();
        }
        expect(Type.RPAREN, "')' to close the nested SELECT at " + where(open),
                "write (SELECT ... FROM field [WHERE condition])");
        return new Select.SubQuery(open.start(), select, from, where);
    }
}
