package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example of docs/rules-sql.md ("Using it"), as compiled code. */
class RulesSqlExampleTest {
    private final List<String> republished = new ArrayList<>();
    private final List<Evaluation.Failure> failures = new ArrayList<>();

    private void republish(byte[] bytes) {
        republished.add(new String(bytes, StandardCharsets.UTF_8));
    }

    private void errorAction(Evaluation.Failure failure) {
        failures.add(failure);
    }

    private void run(String sql, MessageContext message) throws SqlException {
        // --- as in docs/rules-sql.md ---
        SqlStatement rule = SqlStatement.parse(sql);             // at load; SqlException lists every problem
        TopicFilter filter = rule.from();                        // the broker matches topics against it
        RuleInput input = RuleInput.of(message);                 // one per message, shared by every rule that matched
        Evaluation result = rule.evaluate(input);
        if (result instanceof Evaluation.Output out) {
            republish(out.toBytes());                            // or out.value(), a SqlValue
        } else if (result instanceof Evaluation.Failure failure) {
            errorAction(failure);                                // kind, message, line, column
        }                                                        // Evaluation.NoOutput: WHERE was not true
        // ---
        assertThat(filter.matches(message.topic())).isTrue();
    }

    @Test
    void theExampleRuns() throws SqlException {
        String sql = "SELECT temp, topic(2) AS device FROM 'sensors/+/data' WHERE temp > 30";
        run(sql, MessageContext.builder("sensors/s1/data").payload("{\"temp\": 31}").build());
        run(sql, MessageContext.builder("sensors/s2/data").payload("{\"temp\": 12}").build());
        run(sql, MessageContext.builder("sensors/s3/data").payload("31 degrees").build());
        assertThat(republished).containsExactly("{\"temp\":31,\"device\":\"s1\"}");
        assertThat(failures).extracting(Evaluation.Failure::kind).containsExactly(Evaluation.Kind.PAYLOAD_NOT_JSON);
    }
}
