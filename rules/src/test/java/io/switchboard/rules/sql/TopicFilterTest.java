package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFilterTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "a/b, a/b, true",
            "a/b, a/c, false",
            "a/b, a/b/c, false",
            "a/b, a, false",
            "a/+, a/b, true",
            "a/+, a/b/c, false",
            "a/+, a, false",
            "a/+, a/, true",
            "+/+, /x, true",
            "+, a, true",
            "+, '', true",
            "a/#, a, true",
            "a/#, a/b/c, true",
            "a/#, ab, false",
            "#, a/b, true",
            "sport/tennis/+, sport/tennis/player1, true",
            "sport/+/player1, sport/tennis/player1, true",
            "sport/+/player1, sport/tennis/player2, false",
            // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with $
            "#, $SYS/broker/clients, false",
            "+/monitor/Clients, $SYS/monitor/Clients, false",
            "$SYS/#, $SYS/monitor/Clients, true",
            "$SYS/monitor/+, $SYS/monitor/Clients, true",
            "$aws/things/+/shadow/update, $aws/things/t1/shadow/update, true",
            "sensors/#, $aws/sensors/x, false",
    })
    void matches(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.of(filter).matches(topic)).isEqualTo(expected);
    }

    @Test
    void exposesItsParts() throws SqlException {
        TopicFilter f = SqlStatement.parse("SELECT * FROM 'sensors/+/data/#'").from();
        assertThat(f.filter()).isEqualTo("sensors/+/data/#");
        assertThat(f.levels()).containsExactly("sensors", "+", "data", "#");
        assertThat(f.hasWildcards()).isTrue();
        assertThat(SqlStatement.parse("SELECT * FROM 'a/b'").from().hasWildcards()).isFalse();
    }

    @Test
    void refusesWhatMqttRefuses() {
        for (String bad : new String[] {"", "a/#/b", "a#", "a/b+", "+a/b", "$share/g/a"}) {
            assertThatThrownBy(() -> TopicFilter.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> TopicFilter.of("a/\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicFilter.of("a/" + "x".repeat(65_534))).isInstanceOf(IllegalArgumentException.class);
    }
}
