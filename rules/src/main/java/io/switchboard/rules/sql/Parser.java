package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive descent over the tokens of one statement:
 *
 * <pre>
 * statement := SELECT [VALUE] item (',' item)* FROM 'topic filter' [WHERE expr]
 * item      := '*' | expr [AS name]
 * expr      := or;   or := and (OR and)*;   and := not (AND not)*;   not := NOT not | comparison
 * comparison:= sum (('=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') sum)*
 * sum       := product (('+' | '-') product)*;   product := unary (('*' | '/' | '%') unary)*
 * unary     := ('-' | '+') unary | postfix;   postfix := primary ('.' name | '[' expr ']')*
 * primary   := number | string | TRUE | FALSE | NULL | '*' | name | name '(' args ')' | cast '(' expr AS type ')'
 *            | CASE expr (WHEN expr THEN expr)+ [ELSE expr] END | '(' expr ')'
 *            | '(' SELECT [VALUE] item (',' item)* FROM expr [WHERE expr] ')' | '{' 'key' ':' expr, ... '}' | '[' expr, ... ']'
 * </pre>
 *
 * <p>It reports a problem and carries on: after an error inside a select item it skips to the next ',' or to
 * FROM, after one in WHERE to the end, so one attempt lists every problem it can find.
 */
final class Parser {
    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AS", "CASE", "WHEN", "THEN",
            "ELSE", "END", "AND", "OR", "NOT", "NULL", "TRUE", "FALSE");

    /** Unwinds to the enclosing select item or clause after an error has been reported. */
    private static final class Sync extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Sync() {
            super(null, null, false, false);
        }
    }

    private static final Sync SYNC = new Sync();

    /** What parsing gave, for {@link SqlStatement}. */
    record Parsed(Select select, TopicFilter from, int fromOffset, Expr where) {
    }

    private final Diagnostics d;
    private final String src;
    private final List<Token> tokens;
    private int i;
    /** How many (, [ and { are open at the current token. */
    private int depth;

    private Parser(Diagnostics d, List<Token> tokens) {
        this.d = d;
        this.src = d.source();
        this.tokens = tokens;
    }

    static boolean isReserved(String word) {
        return RESERVED.contains(word.toUpperCase(Locale.ROOT));
    }

    /** The statement, or null when there were problems (all of them in {@code d}). */
    static Parsed parse(Diagnostics d) {
        List<Token> tokens = Lexer.tokenize(d);
        return new Parser(d, tokens).statement();
    }

    // ---- statement ----

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
                i++;
            }
            if (at(Type.EOF)) {
                return null;
            }
        }
        next();
        Select select = selectList(true);
        TopicFilter filter = null;
        int fromOffset = peek().start();
        if (peek().is("FROM")) {
            next();
            fromOffset = peek().start();
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
        return d.hasErrors() ? null : new Parsed(select, filter, fromOffset, where);
    }

    /** The select list, up to FROM (which it does not consume). */
    private Select selectList(boolean top) {
        boolean value = false;
        if (peek().is("VALUE") && startsValueExpression(peek(1), peek(2))) {
            next();
            value = true;
        }
        if (peek().is("FROM") || at(Type.EOF)) {
            d.error(peek().start(), "the select list is empty", "select something: SELECT * FROM ... selects the payload");
            return new Select(value, List.of(), top);
        }
        List<Select.Item> items = new ArrayList<>();
        int listDepth = depth;
        while (true) {
            Token start = peek();
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
                d.error(comma.start(), "expected FROM after the select list, found ','", "remove the comma before FROM");
                break;
            }
            if (value) {
                d.error(comma.start(), "SELECT VALUE takes one expression, found ',' after it",
                        "remove the other items, or drop VALUE to make an object of them");
            }
            if (start == peek()) {
                break; // no progress: give up on the list
            }
        }
        Token after = peek();
        if (!after.is("FROM")) {
            if (after.type() == Type.WORD && !isReserved(after.word())) {
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
                return !isReserved(t.word()) || t.is("CASE") || t.is("TRUE") || t.is("FALSE") || t.is("NULL")
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
            if (n.type() != Type.WORD || isReserved(n.word())) {
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

    /** A field keeps its name ({@code SELECT color}, {@code SELECT color.red} gives "red"); else "_" and the position. */
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
            if (t.type() != Type.EOF && !(t.type() == Type.WORD && isReserved(t.word()))) {
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

    // ---- expressions ----

    Expr expression() {
        Expr left = and();
        while (peek().is("OR")) {
            next();
            left = new Expr.Logical(left.offset, false, left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().is("AND")) {
            next();
            left = new Expr.Logical(left.offset, true, left, not());
        }
        return left;
    }

    private Expr not() {
        if (peek().is("NOT")) {
            Token t = next();
            return fold(new Expr.Not(t.start(), not()));
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = sum();
        while (true) {
            Operators.Comparison op = comparisonOp(peek().type());
            if (op == null) {
                return left;
            }
            next();
            left = fold(new Expr.Compare(left.offset, op, left, sum()));
        }
    }

    private static Operators.Comparison comparisonOp(Type t) {
        switch (t) {
            case EQ: return Operators.Comparison.EQ;
            case NE: return Operators.Comparison.NE;
            case LT: return Operators.Comparison.LT;
            case LE: return Operators.Comparison.LE;
            case GT: return Operators.Comparison.GT;
            case GE: return Operators.Comparison.GE;
            default: return null;
        }
    }

    private Expr sum() {
        Expr left = product();
        while (at(Type.PLUS) || at(Type.MINUS)) {
            Operators.Arithmetic op = next().type() == Type.PLUS ? Operators.Arithmetic.ADD : Operators.Arithmetic.SUBTRACT;
            left = fold(new Expr.Arithmetic(left.offset, op, left, product()));
        }
        return left;
    }

    private Expr product() {
        Expr left = unary();
        while (at(Type.STAR) || at(Type.SLASH) || at(Type.PERCENT)) {
            Type t = next().type();
            Operators.Arithmetic op = t == Type.STAR ? Operators.Arithmetic.MULTIPLY
                    : t == Type.SLASH ? Operators.Arithmetic.DIVIDE : Operators.Arithmetic.REMAINDER;
            left = fold(new Expr.Arithmetic(left.offset, op, left, unary()));
        }
        return left;
    }

    private Expr unary() {
        if (at(Type.MINUS)) {
            Token t = next();
            return fold(new Expr.Negate(t.start(), unary()));
        }
        if (at(Type.PLUS)) {
            next();
            return unary();
        }
        return postfix();
    }

    private Expr postfix() {
        Expr e = primary();
        while (true) {
            if (at(Type.DOT)) {
                next();
                Token name = peek();
                if (name.type() != Type.WORD) {
                    fail(name, "expected a field name after '.', found " + describe(name),
                            "for a key that is not a plain name, write get(value, 'key-with-hyphen')");
                }
                next();
                e = new Expr.Member(e.offset, e, name.word());
            } else if (at(Type.LBRACKET)) {
                next();
                Expr index = expression();
                expect(Type.RBRACKET, "']' to close the index", "write a[0]");
                e = fold(new Expr.Index(e.offset, e, index));
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.type()) {
            case NUMBER:
                next();
                return new Expr.Literal(t.start(), (SqlValue) t.value());
            case STRING:
                next();
                return new Expr.Literal(t.start(), SqlValue.of(t.text()));
            case STAR:
                next();
                return new Expr.Star(t.start());
            case LPAREN:
                next();
                if (peek().is("SELECT")) {
                    return subQuery(t);
                }
                Expr inner = expression();
                expect(Type.RPAREN, "')' to close the '(' at " + where(t), "add the missing )");
                return inner;
            case LBRACE:
                return objectLiteral();
            case LBRACKET:
                return arrayLiteral();
            case WORD:
                return word(t);
            default:
                fail(t, "expected an expression, found " + describe(t),
                        "an expression is a value, a field name, a function call, CASE, (...), {...} or [...]");
                return null;
        }
    }

    private Expr word(Token t) {
        if (t.is("TRUE") || t.is("FALSE") || t.is("NULL")) {
            next();
            return new Expr.Literal(t.start(), t.is("NULL") ? SqlValue.NULL : SqlValue.of(t.is("TRUE")));
        }
        if (t.is("CASE")) {
            return caseExpression();
        }
        if (isReserved(t.word())) {
            fail(t, "expected an expression, found " + describe(t), t.is("FROM") ? "the select list is empty"
                    : "a key named " + t.word() + " is read with get(*, '" + t.word().toLowerCase(Locale.ROOT) + "')");
        }
        next();
        if (at(Type.LPAREN)) {
            return call(t);
        }
        return new Expr.Field(t.start(), t.word());
    }

    private Expr call(Token name) {
        next(); // (
        if (name.word().equalsIgnoreCase("cast")) {
            return cast(name);
        }
        List<Expr> args = new ArrayList<>();
        if (!at(Type.RPAREN)) {
            args.add(expression());
            while (at(Type.COMMA)) {
                next();
                args.add(expression());
            }
        }
        expect(Type.RPAREN, "')' to close the call of " + name.word() + "(",
                "separate arguments with ',' and close the call with )");
        Functions.Def def = Functions.find(name.word());
        if (def == null) {
            unknownFunction(name);
            return new Expr.Literal(name.start(), SqlValue.UNDEFINED);
        }
        if (args.size() < def.min() || args.size() > def.max()) {
            d.error(name.start(), def.name() + " takes " + def.arity() + ", given " + args.size(),
                    "write " + def.signature());
            return new Expr.Literal(name.start(), SqlValue.UNDEFINED);
        }
        Functions.Args a = new Functions.Args(args, name.start(), d);
        Functions.Fn fn = def.factory().create(a);
        Expr call = new Functions.Call(name.start(), def, fn, a.exprs.toArray(new Expr[0]));
        return def.pure() ? fold(call) : call;
    }

    private void unknownFunction(Token name) {
        String n = name.word();
        if (Functions.awsOnly(n)) {
            d.error(name.start(), "function '" + n + "' calls an AWS service, which Switchboard's rules do not have",
                    "do that work in the rule's action or in a service reading the output");
            return;
        }
        String close = Functions.suggest(n);
        d.error(name.start(), "unknown function '" + n + "'" + (close == null ? "" : " (did you mean " + close + "?)"),
                "docs/rules-sql.md lists the functions");
    }

    private Expr cast(Token name) {
        Expr operand = expression();
        if (!peek().is("AS")) {
            fail(peek(), "expected AS in cast, found " + describe(peek()), "write cast(value AS Int)");
        }
        next();
        Token type = peek();
        if (type.type() != Type.WORD) {
            fail(type, "expected a type after AS, found " + describe(type), "write one of " + ValueFunctions.CAST_TYPES);
        }
        next();
        var conversion = ValueFunctions.castTo(type.word());
        if (conversion == null) {
            String close = Suggestions.closest(type.word(), ValueFunctions.CAST_TYPES);
            d.error(type.start(), "cast does not know the type '" + type.word() + "'"
                    + (close == null ? "" : " (did you mean " + close + "?)"), "write one of " + ValueFunctions.CAST_TYPES);
        }
        expect(Type.RPAREN, "')' to close the call of cast(", "write cast(value AS type)");
        if (conversion == null) {
            return new Expr.Literal(name.start(), SqlValue.UNDEFINED);
        }
        return fold(new ValueFunctions.Cast(name.start(), operand, conversion));
    }

    private Expr caseExpression() {
        Token kase = next();
        if (peek().is("WHEN")) {
            fail(peek(), "CASE needs the value to compare right after CASE, found WHEN",
                    "AWS IoT SQL has CASE v WHEN t THEN r ... END; for conditions write CASE true WHEN a > 1 THEN ...");
        }
        Expr subject = expression();
        List<Expr> whens = new ArrayList<>();
        List<Expr> thens = new ArrayList<>();
        while (peek().is("WHEN")) {
            next();
            whens.add(expression());
            if (!peek().is("THEN")) {
                fail(peek(), "expected THEN after the WHEN value, found " + describe(peek()), "write WHEN t THEN r");
            }
            next();
            thens.add(expression());
        }
        if (whens.isEmpty()) {
            fail(peek(), "expected WHEN after the CASE value, found " + describe(peek()),
                    "a CASE has at least one WHEN: CASE v WHEN t THEN r END");
        }
        Expr otherwise = null;
        if (peek().is("ELSE")) {
            next();
            otherwise = expression();
        }
        if (!peek().is("END")) {
            fail(peek(), "expected END to close the CASE at " + where(kase) + ", found " + describe(peek()), "add END");
        }
        next();
        return new Expr.Case(kase.start(), subject, whens.toArray(new Expr[0]), thens.toArray(new Expr[0]), otherwise);
    }

    private Expr subQuery(Token open) {
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

    private Expr objectLiteral() {
        Token open = next();
        List<String> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        if (!at(Type.RBRACE)) {
            do {
                Token key = peek();
                if (key.type() != Type.STRING) {
                    fail(key, "expected a key in quotes, found " + describe(key),
                            key.type() == Type.WORD ? "write '" + key.word() + "': ..." : "write {'key': value}");
                }
                next();
                expect(Type.COLON, "':' after the key", "write {'key': value}");
                int existing = keys.indexOf(key.text());
                Expr value = expression();
                if (existing >= 0) {
                    keys.remove(existing);
                    values.remove(existing);
                }
                keys.add(key.text());
                values.add(value);
            } while (at(Type.COMMA) && next() != null);
        }
        expect(Type.RBRACE, "'}' to close the object at " + where(open), "write {'a': 1, 'b': 2}");
        return fold(new Expr.ObjectLiteral(open.start(), keys.toArray(new String[0]), values.toArray(new Expr[0])));
    }

    private Expr arrayLiteral() {
        Token open = next();
        List<Expr> items = new ArrayList<>();
        if (!at(Type.RBRACKET)) {
            do {
                items.add(expression());
            } while (at(Type.COMMA) && next() != null);
        }
        expect(Type.RBRACKET, "']' to close the array at " + where(open), "write [1, 2]");
        return fold(new Expr.ArrayLiteral(open.start(), items.toArray(new Expr[0])));
    }

    /** An expression whose parts are all constant is evaluated now, once, rather than for each message. */
    private static Expr fold(Expr e) {
        for (Expr child : e.children()) {
            if (!child.constant()) {
                return e;
            }
        }
        if (e instanceof Expr.Star || e instanceof Expr.Field || e instanceof Select.SubQuery) {
            return e;
        }
        try {
            return new Expr.Literal(e.offset, e.eval(null));
        } catch (RuntimeException notConstantAfterAll) {
            return e;
        }
    }

    // ---- tokens ----

    private Token peek() {
        return tokens.get(i);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    private boolean at(Type type) {
        return peek().type() == type;
    }

    private Token next() {
        Token t = tokens.get(i);
        if (t.type() != Type.EOF) {
            i++;
        }
        switch (t.type()) {
            case LPAREN: case LBRACKET: case LBRACE:
                depth++;
                break;
            case RPAREN: case RBRACKET: case RBRACE:
                depth--;
                break;
            default:
                break;
        }
        return t;
    }

    private void expect(Type type, String what, String hint) {
        if (!at(type)) {
            fail(peek(), "expected " + what + ", found " + describe(peek()), hint);
        }
        next();
    }

    private void fail(Token at, String message, String hint) {
        d.error(at.start(), message, hint);
        throw SYNC;
    }

    /**
     * Skips to a token of these types or keywords at the nesting depth where the clause or item being recovered
     * started (so a ',' inside an unfinished call does not count), or to the end. A keyword also counts inside
     * brackets left open (the likely mistake: {@code (a + 1 FROM 'x'}), unless a nested SELECT was skipped.
     */
    private void skipTo(Set<Type> types, Set<String> keywords, int atDepth) {
        boolean nestedSelect = false;
        while (!at(Type.EOF)) {
            Token t = peek();
            boolean keyword = t.type() == Type.WORD && keywords.contains(t.word().toUpperCase(Locale.ROOT));
            if ((depth <= atDepth && (types.contains(t.type()) || keyword)) || (keyword && !nestedSelect)) {
                depth = atDepth;
                return;
            }
            nestedSelect |= t.is("SELECT");
            next();
        }
        depth = atDepth;
    }

    private String describe(Token t) {
        return t.describe(src);
    }

    private String where(Token t) {
        int[] lc = d.lineColumn(t.start());
        return "line " + lc[0] + ", column " + lc[1];
    }
}
