package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The expressions of the grammar ({@link Parser} has the statement), compiled as they are read: functions
 * resolved and checked, constant parts folded.
 *
 * <pre>
 * expr      := or;   or := and (OR and)*;   and := not (AND not)*;   not := NOT not | comparison
 * comparison:= sum (('=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') sum)*
 * sum       := product (('+' | '-') product)*;   product := unary (('*' | '/' | '%') unary)*
 * unary     := ('-' | '+') unary | postfix;   postfix := primary ('.' name | '[' expr ']')*
 * primary   := number | string | TRUE | FALSE | NULL | '*' | name | name '(' args ')'
 *            | cast '(' expr AS type ')' | CASE expr (WHEN expr THEN expr)+ [ELSE expr] END | '(' expr ')'
 *            | '(' SELECT ... ')' | '{' 'key' ':' expr, ... '}' | '[' expr, ... ']'
 * </pre>
 */
abstract class ExpressionParser extends TokenCursor {
    /** How deep expressions may nest: far beyond any real rule, well short of the thread's stack. */
    static final int MAX_NESTING = 100;

    /** How many expressions are being parsed inside one another. */
    private int nesting;

    ExpressionParser(Diagnostics d, List<Token> tokens) {
        super(d, tokens);
    }

    /** A nested SELECT, after its '(' (the statement's grammar). */
    abstract Expr subQuery(Token open);

    Expr expression() {
        enter();
        try {
            Expr left = and();
            while (peek().is("OR")) {
                next();
                left = new Expr.Logical(left.offset, false, left, and());
            }
            return left;
        } finally {
            nesting--;
        }
    }

    /** One level deeper (the caller's {@code finally} goes back up); refused past {@link #MAX_NESTING}. */
    private void enter() {
        if (nesting >= MAX_NESTING) {
            fail(peek(), "the expression nests more than " + MAX_NESTING + " levels deep", "write it in fewer levels");
        }
        nesting++;
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
            enter();
            try {
                return fold(new Expr.Not(t.start(), not()));
            } finally {
                nesting--;
            }
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
            Operators.Arithmetic op = next().type() == Type.PLUS
                    ? Operators.Arithmetic.ADD : Operators.Arithmetic.SUBTRACT;
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
        if (at(Type.MINUS) || at(Type.PLUS)) {
            Token t = next();
            enter();
            try {
                Expr operand = unary();
                return t.type() == Type.PLUS ? operand : fold(new Expr.Negate(t.start(), operand));
            } finally {
                nesting--;
            }
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
        if (Token.isReserved(t.word())) {
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
            fail(type, "expected a type after AS, found " + describe(type),
                    "write one of " + ValueFunctions.CAST_TYPES);
        }
        next();
        var conversion = ValueFunctions.castTo(type.word());
        if (conversion == null) {
            String close = Suggestions.closest(type.word(), ValueFunctions.CAST_TYPES);
            d.error(type.start(), "cast does not know the type '" + type.word() + "'"
                    + (close == null ? "" : " (did you mean " + close + "?)"),
                    "write one of " + ValueFunctions.CAST_TYPES);
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

}
