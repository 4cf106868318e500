package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Token.Type;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parser's position in the tokens of one statement, and its ways of reporting a problem: {@link #fail}
 * reports and unwinds to the enclosing select item or clause, which skips ahead ({@link #skipTo}) and goes on.
 */
abstract class TokenCursor {
    /** Unwinds to the enclosing select item or clause after an error has been reported. */
    static final class Sync extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Sync() {
            super(null, null, false, false);
        }
    }

    static final Sync SYNC = new Sync();

    final Diagnostics d;
    final String src;
    private final List<Token> tokens;
    private int i;
    /** How many (, [ and { are open at the current token. */
    int depth;

    TokenCursor(Diagnostics d, List<Token> tokens) {
        this.d = d;
        this.src = d.source();
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(i);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    boolean at(Type type) {
        return peek().type() == type;
    }

    Token next() {
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

    void expect(Type type, String what, String hint) {
        if (!at(type)) {
            fail(peek(), "expected " + what + ", found " + describe(peek()), hint);
        }
        next();
    }

    void fail(Token at, String message, String hint) {
        d.error(at.start(), message, hint);
        throw SYNC;
    }

    /**
     * Skips to a token of these types or keywords at the nesting depth where the clause or item being recovered
     * started (so a ',' inside an unfinished call does not count), or to the end. A keyword also counts inside
     * brackets left open (the likely mistake: {@code (a + 1 FROM 'x'}), unless a nested SELECT was skipped.
     */
    void skipTo(Set<Type> types, Set<String> keywords, int atDepth) {
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

    String describe(Token t) {
        return t.describe(src);
    }

    String where(Token t) {
        int[] lc = d.lineColumn(t.start());
        return "line " + lc[0] + ", column " + lc[1];
    }
}
