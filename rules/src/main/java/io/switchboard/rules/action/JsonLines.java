package io.switchboard.rules.action;

/** An output as one line of a JSON lines file. */
final class JsonLines {
    private JsonLines() {
    }

    /**
     * The output's bytes as one line (without its {@code \n}): as they are, unless they hold a line break.
     * Compact JSON has none, but a payload passed through byte for byte ({@code SELECT *}) may be pretty-printed:
     * a line break between tokens is JSON's white space and becomes a space, so the line is the same JSON value;
     * one inside a string is not JSON (a string escapes it), and the output is refused.
     *
     * @throws ActionFailure for an empty output or a line break inside a string
     */
    static byte[] line(byte[] output) {
        if (output.length == 0) {
            throw new ActionFailure("the output is empty: a JSON line needs a value");
        }
        int first = lineBreak(output);
        if (first < 0) {
            return output;
        }
        byte[] line = output.clone();
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < line.length; i++) {
            byte b = line[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                } else if (b == '\n' || b == '\r') {
                    throw new ActionFailure("the output has a line break inside a string (byte " + i
                            + "): it is not JSON and would not be one line");
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '\n' || b == '\r') {
                line[i] = ' ';
            }
        }
        return line;
    }

    private static int lineBreak(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }
}
