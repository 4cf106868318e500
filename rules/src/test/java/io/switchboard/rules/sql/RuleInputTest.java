package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The payload of a message is parsed at most once, and only if a rule needs it, whatever the number of rules. */
class RuleInputTest {

    /** A message that counts how often its payload is read. */
    private static final class CountingMessage implements MessageContext {
        final AtomicInteger payloadReads = new AtomicInteger();
        private final byte[] payload;

        CountingMessage(String payload) {
            this.payload = payload.getBytes(StandardCharsets.UTF_8);
        }

        @Override public String topic() { return "sensors/s1/data"; }
        @Override public String clientId() { return "s1"; }
        @Override public String principal() { return null; }
        @Override public long timestampMillis() { return 1; }
        @Override public byte[] payload() { payloadReads.incrementAndGet(); return payload; }
        @Override public List<UserProperty> userProperties() { return List.of(); }
        @Override public String contentType() { return null; }
        @Override public int payloadFormatIndicator() { return 0; }
        @Override public String responseTopic() { return null; }
        @Override public byte[] correlationData() { return null; }
    }

    @Test
    void parsedOnceForEveryRuleThatMatched() throws SqlException {
        List<SqlStatement> rules = List.of(
                SqlStatement.parse("SELECT temp FROM 'sensors/+/data' WHERE temp > 10"),
                SqlStatement.parse("SELECT humidity AS h FROM 'sensors/#'"),
                SqlStatement.parse("SELECT *, topic() AS t FROM 'sensors/+/data'"));
        CountingMessage message = new CountingMessage("{\"temp\": 21, \"humidity\": 40}");
        RuleInput input = RuleInput.of(message);
        assertThat(input.parsed()).isFalse();

        for (SqlStatement rule : rules) {
            assertThat(rule.evaluate(input)).isInstanceOf(Evaluation.Output.class);
        }
        assertThat(message.payloadReads).hasValue(1);
        assertThat(input.parsed()).isTrue();
    }

    @Test
    void notParsedWhenNoRuleReadsJson() throws SqlException {
        CountingMessage message = new CountingMessage("{\"temp\": 21}");
        RuleInput input = RuleInput.of(message);
        for (String sql : List.of("SELECT * FROM '#'", "SELECT encode(*, 'base64') AS b, topic() AS t FROM '#'",
                "SELECT clientid() AS c FROM '#' WHERE timestamp() > 0")) {
            SqlStatement rule = SqlStatement.parse(sql);
            assertThat(rule.readsPayloadJson()).as(sql).isFalse();
            assertThat(rule.evaluate(input)).as(sql).isInstanceOf(Evaluation.Output.class);
        }
        assertThat(input.parsed()).isFalse();
        assertThat(message.payloadReads).hasValue(1);
    }

    @Test
    void aPayloadThatIsNotJsonIsTriedOnce() throws SqlException {
        CountingMessage message = new CountingMessage("{\"temp\": ");
        RuleInput input = RuleInput.of(message);
        SqlStatement a = SqlStatement.parse("SELECT temp FROM '#'");
        SqlStatement b = SqlStatement.parse("SELECT humidity FROM '#'");
        assertThat(a.evaluate(input)).isInstanceOf(Evaluation.Failure.class);
        assertThat(b.evaluate(input)).isInstanceOf(Evaluation.Failure.class);
        assertThat(message.payloadReads).hasValue(1);
        assertThat(input.isJson()).isFalse();
        assertThat(input.json()).isNull();
    }

    @Test
    void theParsedValueIsTheSameObjectForEveryone() {
        RuleInput input = RuleInput.of(MessageContext.builder("a").payload("{\"a\": [1, 2]}").build());
        assertThat(input.json()).isSameAs(input.json());
        assertThat(input.json()).isInstanceOf(SqlValue.ObjectValue.class);
    }
}
