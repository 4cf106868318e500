package io.switchboard.rules.sql;

import java.util.Locale;
import java.util.Set;

/**
 * One token of a statement: its type, where it is ({@code start} inclusive, {@code end} exclusive, character
 * offsets), and for words, strings and numbers its value: the word as written, the string with its escapes
 * resolved, the number as a {@link SqlValue}. {@code quote} is the quote a string was written with, as the
 * straight quote of its family (' or ").
 */
record Token(Type type, int start, int end, Object value, char quote) {
    /** Words that are keywords, not field names: a key so named is read with get(*, 'end'). */
    private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "AS", "CASE", "WHEN", "THEN",
            "ELSE", "END", "AND", "OR", "NOT", "NULL", "TRUE", "FALSE");

    static boolean isReserved(String word) {
        return RESERVED.contains(word.toUpperCase(Locale.ROOT));
    }

    enum Type {
        WORD, NUMBER, STRING,
        STAR, COMMA, DOT, COLON, LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE,
        PLUS, MINUS, SLASH, PERCENT, EQ, NE, LT, LE, GT, GE,
        EOF
    }

    static Token of(Type type, int start, int end) {
        return new Token(type, start, end, null, (char) 0);
    }

    String word() {
        return type == Type.WORD ? (String) value : "";
    }

    /** Whether this is the given keyword, in any case. */
    boolean is(String keyword) {
        return type == Type.WORD && ((String) value).equalsIgnoreCase(keyword);
    }

    String text() {
        return (String) value;
    }

    /** How a message names this token: {@code ','}, {@code FROM}, {@code 'sensors'}, the end of the statement. */
    String describe(String source) {
        switch (type) {
            case EOF:
                return "the end of the statement";
            case WORD:
                return isReserved(word()) ? word().toUpperCase(Locale.ROOT) : "'" + word() + "'";
            case STRING:
                return "the string " + source.substring(start, end);
            default:
                return "'" + source.substring(start, end) + "'";
        }
    }
}
