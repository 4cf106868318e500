package io.switchboard.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "a/b|a/b|true",
        "a/b|a/c|false",
        "a/+|a/b|true",
        "a/+|a/b/c|false",
        "a/+|a|false",
        "a/#|a|true",          // [MQTT-4.7.1-2] '#' also matches the parent level
        "a/#|a/b/c|true",
        "#|a/b/c|true",
        "+/+|a/b|true",
        "+/+|/b|true",         // empty level matched by '+'
        "+|/a|false",
        "a//b|a//b|true",
        "a/+/b|a//b|true",
        "#|$SYS/x|false",      // [MQTT-4.7.2-1]
        "+/x|$SYS/x|false",    // [MQTT-4.7.2-1]
        "$SYS/#|$SYS/x|true",
        "ab|a|false",
        "a|ab|false",
        "a/b|a/b/|false",
        "a/b/+|a/b/|true",
        "sport/tennis/#|sport/tennis|true",
        "sport/+/player1|sport/tennis/player1|true",
    })
    void matches(String filter, String topic, boolean expected) {
        assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/#/b", "a+", "#a", "a/b#", "+a/b", ""})
    void invalidFiltersAreRefusedWithAReason(String filter) {
        // [MQTT-4.7.1-1] / [MQTT-4.7.1-2] / [MQTT-4.7.3-1]
        assertThat(Topics.checkFilter(filter)).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/+/b", "a/#", "/", "//", "+/+/#", "$SYS/#", "a b/c"})
    void validFilters(String filter) {
        assertThat(Topics.checkFilter(filter)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "a/#", "+", ""})
    void invalidNamesAreRefused(String name) {
        // [MQTT-3.3.2-2] / [MQTT-4.7.3-1]
        assertThat(Topics.checkName(name)).isNotBlank();
    }
}
