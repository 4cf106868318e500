package io.switchboard.rules.sql;

import io.switchboard.rules.sql.Token.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a statement into tokens, all at once, reporting every problem and carrying on: SQL copied from a web
 * page or a word processor comes with typographic quotes (“ ” ‘ ’), typographic dashes and non-breaking spaces,
 * and each is reported where it is and then read as what was meant, so the parser can find the problems after it.
 *
 * <p>Strings are written in single or double quotes (AWS's reference uses both: {@code 'topic/subtopic'},
 * {@code decode(encoded_temp, "base64")}), with JSON's backslash escapes; an unknown escape keeps its backslash,
 * so {@code '\d+'} is the regular expression it looks like. A string that never closes but whose quote directly
 * follows a word ({@code FROM sensors/#'}) is read as a string that lost its opening quote.
 */
final class Lexer {
    private static final String SINGLE_TYPOGRAPHIC = "\u2018\u2019\u201A\u201B\u2032";
    private static final String DOUBLE_TYPOGRAPHIC = "\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB";
    private static final String DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212";
    private static final String ODD_SPACES = "\u00A0\u2007\u202F\uFEFF\u200B";
    /** Characters that end the word before a quote when looking for a string without its opening quote. */
    private static final String RUN_STOPS = "(),=<>[]{}:'\"" + SINGLE_TYPOGRAPHIC + DOUBLE_TYPOGRAPHIC;

    private final String src;
    private final Diagnostics diagnostics;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(Diagnostics diagnostics) {
        this.src = diagnostics.source();
        this.diagnostics = diagnostics;
    }

    static List<Token> tokenize(Diagnostics diagnostics) {
        Lexer lexer = new Lexer(diagnostics);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        int n = src.length();
        while (pos < n && !diagnostics.full()) {
            char c = src.charAt(pos);
            if (ODD_SPACES.indexOf(c) >= 0) {
                diagnostics.error(pos, "a " + name(c) + " where a space belongs",
                        "type an ordinary space (text copied from a web page often brings these)");
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < n && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Type.WORD, start, pos, src.substring(start, pos), (char) 0));
            } else if (c >= '0' && c <= '9') {
                number();
            } else if (c == '\'' || c == '"') {
                string(pos, c, false);
            } else if (SINGLE_TYPOGRAPHIC.indexOf(c) >= 0 || DOUBLE_TYPOGRAPHIC.indexOf(c) >= 0) {
                char family = SINGLE_TYPOGRAPHIC.indexOf(c) >= 0 ? '\'' : '"';
                typographicQuote(pos, c, family);
                string(pos, family, true);
            } else if (DASHES.indexOf(c) >= 0) {
                diagnostics.error(pos, "a typographic dash " + c + " (" + codePoint(c) + ") is not an operator",
                        "write - (the minus sign of the keyboard)");
                single(Type.MINUS);
            } else {
                punctuation(c);
            }
        }
        tokens.add(Token.of(Type.EOF, n, n));
    }

    private void punctuation(char c) {
        char next = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        switch (c) {
            case '*': single(Type.STAR); break;
            case ',': single(Type.COMMA); break;
            case '.': single(Type.DOT); break;
            case ':': single(Type.COLON); break;
            case '(': single(Type.LPAREN); break;
            case ')': single(Type.RPAREN); break;
            case '[': single(Type.LBRACKET); break;
            case ']': single(Type.RBRACKET); break;
            case '{': single(Type.LBRACE); break;
            case '}': single(Type.RBRACE); break;
            case '+': single(Type.PLUS); break;
            case '%': single(Type.PERCENT); break;
            case '-':
                if (next == '-') {
                    comment(src.indexOf('\n', pos) < 0 ? src.length() : src.indexOf('\n', pos));
                } else {
                    single(Type.MINUS);
                }
                break;
            case '/':
                if (next == '*') {
                    int close = src.indexOf("*/", pos + 2);
                    comment(close < 0 ? src.length() : close + 2);
                } else {
                    single(Type.SLASH);
                }
                break;
            case '=':
                if (next == '=') {
                    diagnostics.error(pos, "'==' is not an operator", "compare with a single =");
                    pair(Type.EQ);
                } else {
                    single(Type.EQ);
                }
                break;
            case '<':
                if (next == '=') {
                    pair(Type.LE);
                } else if (next == '>') {
                    pair(Type.NE);
                } else {
                    single(Type.LT);
                }
                break;
            case '>':
                if (next == '=') {
                    pair(Type.GE);
                } else {
                    single(Type.GT);
                }
                break;
            case '!':
                if (next == '=') {
                    diagnostics.error(pos, "'!=' is not an operator", "AWS IoT SQL writes 'not equal' as <>");
                    pair(Type.NE);
                    break;
                }
                unexpected(c);
                break;
            case '&':
            case '|':
                if (next == c) {
                    String word = c == '&' ? "AND" : "OR";
                    diagnostics.error(pos, "'" + c + c + "' is not an operator", c == '&'
                            ? "write AND"
                            : "write OR for a logical or, and concat() or + to join strings");
                    tokens.add(new Token(Type.WORD, pos, pos + 2, word, (char) 0));
                    pos += 2;
                    break;
                }
                unexpected(c);
                break;
            case ';':
                diagnostics.error(pos, "unexpected ';'", "a rule is one statement: remove the ;");
                pos++;
                break;
            default:
                unexpected(c);
        }
    }

    private void unexpected(char c) {
        int cp = src.codePointAt(pos);
        diagnostics.error(pos, "unexpected character '" + new String(Character.toChars(cp)) + "' (" + codePoint(cp)
                + ")", c == '#' || c == '$'
                        ? "a topic filter goes in single quotes after FROM: FROM 'a/#'"
                        : "remove it, or put it in a string");
        pos += Character.charCount(cp);
    }

    private void comment(int end) {
        diagnostics.error(pos, "comments are not supported in AWS IoT SQL", "remove the comment");
        pos = end;
    }

    private void single(Type type) {
        tokens.add(Token.of(type, pos, pos + 1));
        pos++;
    }

    private void pair(Type type) {
        tokens.add(Token.of(type, pos, pos + 2));
        pos += 2;
    }

    private void number() {
        int start = pos;
        int n = src.length();
        boolean decimal = false;
        while (pos < n && isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < n && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
            decimal = true;
            pos++;
            while (pos < n && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < n && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int e = pos + 1;
            if (e < n && (src.charAt(e) == '+' || src.charAt(e) == '-')) {
                e++;
            }
            if (e < n && isDigit(src.charAt(e))) {
                decimal = true;
                pos = e;
                while (pos < n && isDigit(src.charAt(pos))) {
                    pos++;
                }
            }
        }
        String text = src.substring(start, pos);
        SqlValue value;
        try {
            BigDecimal d = new BigDecimal(text, Conversions.PRECISION);
            value = decimal || text.length() > 18 ? SqlValue.decimal(d) : SqlValue.of(Long.parseLong(text));
            if (!Operators.inRange(d)) {
                diagnostics.error(start, "the number " + text + " is out of range",
                        "a Decimal's magnitude is between 1E-999 and 9.999E999");
            }
        } catch (NumberFormatException | ArithmeticException e) {
            diagnostics.error(start, "the number " + text + " is out of range",
                    "a Decimal's magnitude is between 1E-999 and 9.999E999");
            value = SqlValue.UNDEFINED;
        }
        tokens.add(new Token(Type.NUMBER, start, pos, value, (char) 0));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A string from the quote at {@code open}; family is the straight quote it stands for. */
    private void string(int open, char family, boolean typographicOpen) {
        StringBuilder value = new StringBuilder();
        int n = src.length();
        int i = open + 1;
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\\' && i + 1 < n) {
                i = escape(i, value);
                continue;
            }
            if (c == family || (typographicOpen && typographic(c, family))) {
                if (c != family) {
                    typographicQuote(i, c, family);
                }
                tokens.add(new Token(Type.STRING, open, i + 1, value.toString(), family));
                pos = i + 1;
                return;
            }
            value.append(c);
            i++;
        }
        unterminated(open, family);
    }

    private int escape(int i, StringBuilder value) {
        char e = src.charAt(i + 1);
        switch (e) {
            case '\\': case '\'': case '"': case '/':
                value.append(e);
                return i + 2;
            case 'n': value.append('\n'); return i + 2;
            case 't': value.append('\t'); return i + 2;
            case 'r': value.append('\r'); return i + 2;
            case 'b': value.append('\b'); return i + 2;
            case 'f': value.append('\f'); return i + 2;
            case 'u':
                if (i + 6 <= src.length()) {
                    try {
                        value.append((char) Integer.parseInt(src.substring(i + 2, i + 6), 16));
                        return i + 6;
                    } catch (NumberFormatException notHex) {
                        // kept as written
                    }
                }
                value.append('\\');
                return i + 1;
            default:
                // \d, \s, \w ...: kept, so that regular expressions read as they look
                value.append('\\');
                return i + 1;
        }
    }

    /** A string whose closing quote never came: a closing typographic quote, a lost opening quote, or none. */
    private void unterminated(int open, char family) {
        int n = src.length();
        for (int i = open + 1; i < n; i++) {
            if (typographic(src.charAt(i), family) && src.charAt(i - 1) != '\\') {
                typographicQuote(i, src.charAt(i), family);
                tokens.add(new Token(Type.STRING, open, i + 1, src.substring(open + 1, i), family));
                pos = i + 1;
                return;
            }
        }
        int runStart = open;
        while (runStart > 0 && !Character.isWhitespace(src.charAt(runStart - 1))
                && RUN_STOPS.indexOf(src.charAt(runStart - 1)) < 0) {
            runStart--;
        }
        if (runStart < open) {
            // FROM sensors/#' : the quote closes a string that lost its opening quote
            final int from = runStart;
            String text = src.substring(from, open);
            diagnostics.dropFrom(from);
            tokens.removeIf(t -> t.start() >= from);
            diagnostics.error(from, "the string " + text + family + " is missing its opening quote",
                    "write " + family + text + family);
            tokens.add(new Token(Type.STRING, from, open + 1, text, family));
            pos = open + 1;
            return;
        }
        int end = open + 1;
        while (end < n && !Character.isWhitespace(src.charAt(end))) {
            end++;
        }
        diagnostics.error(open, "the string starting here is never closed", "end it with " + family);
        tokens.add(new Token(Type.STRING, open, end, src.substring(open + 1, end), family));
        pos = end;
    }

    private static boolean typographic(char c, char family) {
        return (family == '\'' ? SINGLE_TYPOGRAPHIC : DOUBLE_TYPOGRAPHIC).indexOf(c) >= 0;
    }

    private void typographicQuote(int at, char c, char family) {
        diagnostics.error(at, "typographic quote " + c + " (" + codePoint(c) + ") where a straight quote belongs",
                family == '\'' ? "write ' (strings and topic filters use straight quotes)"
                        : "write \" or ' (strings use straight quotes)");
    }

    private static String name(char c) {
        switch (c) {
            case '\u00A0': return "non-breaking space (U+00A0)";
            case '\uFEFF': return "byte order mark (U+FEFF)";
            case '\u200B': return "zero-width space (U+200B)";
            default: return "special space (" + codePoint(c) + ")";
        }
    }

    private static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }
}
