package io.switchboard.broker.logging;

/**
 * Makes text that comes from clients (client ids, user names, topics, protocol names, reason
 * strings) safe to put in a log line: control characters and other invisible characters are shown
 * as escapes ({@code \n}, {@code \x1b}, {@code \u2028}), backslashes and quotes are escaped, and
 * long values are cut with the length stated, so that a client can neither forge log lines nor
 * flood them.
 */
public final class LogText {
    /** Longest client value shown in a log line, in characters. */
    public static final int MAX_LENGTH = 200;

    private LogText() {
    }

    /** The value escaped and cut to {@link #MAX_LENGTH}; "null" for null. */
    public static String escape(String value) {
        if (value == null) {
            return "null";
        }
        int n = Math.min(value.length(), MAX_LENGTH);
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            String esc = escapeOf(c);
            if (esc != null && sb == null) {
                sb = new StringBuilder(n + 16).append(value, 0, i);
            }
            if (sb != null) {
                if (esc != null) {
                    sb.append(esc);
                } else {
                    sb.append(c);
                }
            }
        }
        String out = sb == null ? value.substring(0, n) : sb.toString();
        return value.length() > MAX_LENGTH ? out + "...(" + value.length() + " chars)" : out;
    }

    private static String escapeOf(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            case '"':
                return "\\\"";
            default:
                break;
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("\\x%02x", (int) c);
        }
        // C1 controls, line and paragraph separators, and bidirectional overrides that reorder what is shown.
        if ((c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
