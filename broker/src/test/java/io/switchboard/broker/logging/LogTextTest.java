package io.switchboard.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Client strings in logs cannot forge lines, hide text or flood a line. */
class LogTextTest {

    @Test
    void plainTextIsKeptAsIs() {
        assertThat(LogText.escape("device-42/état")).isEqualTo("device-42/état");
    }

    @Test
    void lineBreaksAndControlCharactersAreShownAsEscapes() {
        assertThat(LogText.escape("a\nINFO forged line\r\tb")).isEqualTo("a\\nINFO forged line\\r\\tb");
        assertThat(LogText.escape("\u001b[31mred\u0000")).isEqualTo("\\x1b[31mred\\x00");
        assertThat(LogText.escape("x\u007fy")).isEqualTo("x\\x7fy");
    }

    @Test
    void backslashAndQuoteAreEscapedSoEscapesCannotBeForged() {
        assertThat(LogText.escape("a\\nb\"c")).isEqualTo("a\\\\nb\\\"c");
    }

    @Test
    void invisibleAndReorderingCharactersAreShownAsEscapes() {
        assertThat(LogText.escape("a\u2028b\u202ec\u0085")).isEqualTo("a\\u2028b\\u202ec\\u0085");
    }

    @Test
    void longValuesAreCutWithTheirLengthStated() {
        String out = LogText.escape("x".repeat(70_000));
        assertThat(out).startsWith("x".repeat(LogText.MAX_LENGTH)).endsWith("...(70000 chars)");
        assertThat(out.length()).isLessThan(LogText.MAX_LENGTH + 30);
    }

    @Test
    void nullIsShownAsNull() {
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
