package io.switchboard.rules.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found while reading one statement, kept by character offset, and the source text to turn an
 * offset into a line and a column. Lines end at \n, \r\n or \r; columns count code points, from 1.
 */
final class Diagnostics {
    /** After this many problems the rest is noise: stop looking. */
    static final int MAX_ERRORS = 20;

    private final String source;
    private final List<Problem> problems = new ArrayList<>();

    record Problem(int offset, String message, String hint) {
    }

    Diagnostics(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    void error(int offset, String message, String hint) {
        for (Problem p : problems) {
            if (p.offset == offset) {
                return; // one problem per place: the first explanation is the useful one
            }
        }
        problems.add(new Problem(offset, message, hint == null ? "" : hint));
    }

    /** Forget problems at or after this offset (the lexer re-read that text as a string). */
    void dropFrom(int offset) {
        problems.removeIf(p -> p.offset >= offset);
    }

    /** Forget problems in [from, to) (the parser explains that text better). */
    void dropBetween(int from, int to) {
        problems.removeIf(p -> p.offset >= from && p.offset < to);
    }

    boolean hasErrors() {
        return !problems.isEmpty();
    }

    boolean full() {
        return problems.size() >= MAX_ERRORS;
    }

    List<SqlError> errors() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::offset));
        List<SqlError> out = new ArrayList<>(sorted.size());
        for (Problem p : sorted) {
            int[] lc = lineColumn(p.offset);
            out.add(new SqlError(lc[0], lc[1], p.message, p.hint));
        }
        return out;
    }

    int[] lineColumn(int offset) {
        return lineColumn(source, offset);
    }

    static int[] lineColumn(String source, int offset) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(offset, source.length());
        for (int i = 0; i < end; i++) {
            char c = source.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= source.length() || source.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        int column = source.codePointCount(lineStart, end) + 1;
        return new int[] {line, column};
    }
}
