package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every function of the table is used by a golden case that runs it, and by docs/rules-sql.md. */
class FunctionTableTest {
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    @Test
    void everyFunctionHasAGoldenCaseThatRunsIt() throws Exception {
        TreeSet<String> called = new TreeSet<>();
        for (Object[] args : GoldenTest.cases().map(a -> a.get()).toList()) {
            JsonNode c = (JsonNode) args[1];
            if (c.has("expectedErrors")) {
                continue;
            }
            Matcher m = CALL.matcher(c.path("inputSql").asText());
            while (m.find()) {
                called.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : Functions.all().keySet()) {
            if (!called.contains(name)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("functions without a golden case").isEmpty();
        assertThat(called).contains("cast");
    }

    @Test
    void everyFunctionIsDocumentedWithItsExample() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "rules-sql.md"));
        List<String> missing = new ArrayList<>();
        for (Functions.Def d : Functions.all().values()) {
            if (!doc.contains("`" + d.signature() + "`")) {
                missing.add(d.signature());
            }
            if (!doc.contains("`" + d.example() + "`")) {
                missing.add(d.example());
            }
        }
        assertThat(missing).as("missing from docs/rules-sql.md").isEmpty();
    }

    /** Each function's example, "call = result", is true (on the message below; newuuid and rand are random). */
    @Test
    void everyExampleIsTrue() throws Exception {
        MessageContext message = MessageContext.builder("a/b/c").payload("{\"a\":1}").clientId("sensor-17")
                .principal("ba67293af50bf2506f5f93469686da660c7c844e7b3950bfb16813e0d31e9373")
                .timestampMillis(1481825251155L).userProperty("Content-Type", "base64").userProperty("k", "v1")
                .userProperty("k", "v2").contentType("application/json").build();
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        for (Functions.Def d : Functions.all().values()) {
            if (d.name().equals("newuuid") || d.name().equals("rand")) {
                continue;
            }
            int eq = d.example().lastIndexOf(" = ");
            assertThat(eq).as(d.example()).isPositive();
            String call = d.example().substring(0, eq);
            String expected = d.example().substring(eq + 3);
            Evaluation e = SqlStatement.parse("SELECT VALUE " + call + " FROM '#'").evaluate(message);
            assertThat(e).as(d.example()).isInstanceOf(Evaluation.Output.class);
            assertThat(json.readTree(((Evaluation.Output) e).toBytes())).as(d.example()).isEqualTo(json.readTree(expected));
        }
    }
}
