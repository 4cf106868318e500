package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Substitution templates of actions: ${expression} parts evaluated against the message the rule ran on. */
class SqlTemplateTest {
    static RuleInput message(String topic, String payload) {
        return RuleInput.of(MessageContext.builder(topic).payload(payload).clientId("sensor-17").build());
    }

    @Test
    void substitutionsAreEvaluatedAgainstTheMessage() throws SqlException {
        SqlTemplate t = SqlTemplate.parse("normalised/${topic(2)}/${clientid()}/${get(*, 'unit-name')}");
        assertThat(t.isConstant()).isFalse();
        assertThat(t.render(message("sensors/site-7", "{\"unit-name\": \"celsius\"}")))
                .isEqualTo("normalised/site-7/sensor-17/celsius");
        assertThat(SqlTemplate.parse("${a.b}-${missing}-${a}").render(message("t", "{\"a\": {\"b\": 2}}")))
                .isEqualTo("2--{\"b\":2}");
        assertThat(SqlTemplate.parse("plain/topic").isConstant()).isTrue();
        assertThat(SqlTemplate.parse("${'}'}").render(message("t", "{}"))).isEqualTo("}");
    }

    @Test
    void aTemplateReadingJsonFieldsOfABinaryPayloadSaysSo() throws SqlException {
        SqlTemplate t = SqlTemplate.parse("x/${a}");
        assertThat(t.readsPayloadJson()).isTrue();
        RuleInput binary = RuleInput.of(MessageContext.builder("t").payload(new byte[] {(byte) 0xFF, 0}).build());
        assertThatThrownBy(() -> t.render(binary)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reads fields of the payload's JSON, and the payload is not JSON");
        assertThat(SqlTemplate.parse("x/${topic()}").render(binary)).isEqualTo("x/t");
    }

    @Test
    void badTemplatesAreRefusedWithTheirPosition() {
        assertThatThrownBy(() -> SqlTemplate.parse("a/${topic(2)"))
                .isInstanceOfSatisfying(SqlException.class, e -> {
                    assertThat(e.first().column()).isEqualTo(3);
                    assertThat(e.first().message()).isEqualTo("the substitution ${ is not closed");
                });
        assertThatThrownBy(() -> SqlTemplate.parse("a/${topick(2)}"))
                .isInstanceOfSatisfying(SqlException.class, e -> {
                    assertThat(e.first().column()).isEqualTo(5);
                    assertThat(e.first().message()).contains("unknown function 'topick'");
                });
        assertThatThrownBy(() -> SqlTemplate.parse("${}")).isInstanceOfSatisfying(SqlException.class,
                e -> assertThat(e.first().message()).isEqualTo("the substitution is empty"));
    }
}
