package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The public API as a caller (the broker's rules engine, later) uses it. */
class SqlStatementTest {

    private static MessageContext message(String topic, String payload) {
        return MessageContext.builder(topic).payload(payload).build();
    }

    @Test
    void parseExposesTheFilterAndWhatTheStatementReads() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT VALUE temp FROM 'sensors/+/data' WHERE temp > 1");
        assertThat(s.sql()).isEqualTo("SELECT VALUE temp FROM 'sensors/+/data' WHERE temp > 1");
        assertThat(s.from().filter()).isEqualTo("sensors/+/data");
        assertThat(s.selectsValue()).isTrue();
        assertThat(s.readsPayloadJson()).isTrue();
        assertThat(SqlStatement.parse("SELECT encode(*, 'base64') AS b FROM 'a'").readsPayloadJson()).isFalse();
        assertThat(SqlStatement.parse("SELECT *, 1 AS x FROM 'a'").readsPayloadJson()).isTrue();
        // a nested SELECT reads its FROM from the payload; its own names refer to the elements
        assertThat(SqlStatement.parse("SELECT (SELECT VALUE n FROM e) AS n FROM 'a'").readsPayloadJson()).isTrue();
    }

    @Test
    void outputAsBytesAndAsValue() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT temp * 2 AS t, topic(2) AS device FROM 'sensors/+/data'");
        Evaluation e = s.evaluate(message("sensors/s1/data", "{\"temp\": 10.5}"));
        assertThat(e).isInstanceOf(Evaluation.Output.class);
        Evaluation.Output out = (Evaluation.Output) e;
        assertThat(new String(out.toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21,\"device\":\"s1\"}");
        SqlValue.ObjectValue o = (SqlValue.ObjectValue) out.value();
        assertThat(o.get("t")).isEqualTo(SqlValue.of(21));
        assertThat(o.get("device")).isEqualTo(SqlValue.of("s1"));
        assertThat(o.get("missing")).isSameAs(SqlValue.UNDEFINED);
    }

    @Test
    void passThroughIsByteForByteAndACopy() throws SqlException {
        byte[] payload = "{ \"a\" : 1 }".getBytes(StandardCharsets.UTF_8);
        SqlStatement s = SqlStatement.parse("SELECT * FROM 'a'");
        Evaluation.Output out = (Evaluation.Output) s.evaluate(MessageContext.builder("a").payload(payload).build());
        byte[] bytes = out.toBytes();
        assertThat(bytes).isEqualTo(payload).isNotSameAs(payload);
        assertThat(out.value()).isInstanceOf(SqlValue.ObjectValue.class);
    }

    @Test
    void whereFalseIsNoOutput() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT * FROM 'a' WHERE temp > 30");
        assertThat(s.evaluate(message("a", "{\"temp\": 20}"))).isSameAs(Evaluation.NoOutput.INSTANCE);
        assertThat(s.evaluate(message("a", "{}"))).isSameAs(Evaluation.NoOutput.INSTANCE);
    }

    @Test
    void aFailureSaysWhatAndWhere() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT topic() AS t,\n  temp\nFROM 'a'");
        Evaluation e = s.evaluate(message("a", "\u0001\u0002 binary"));
        assertThat(e).isInstanceOfSatisfying(Evaluation.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Evaluation.Kind.PAYLOAD_NOT_JSON);
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.column()).isEqualTo(3);
            assertThat(f.message()).contains("not JSON");
            assertThat(f.toString()).startsWith("PAYLOAD_NOT_JSON at line 2, column 3: ");
        });
    }

    @Test
    void rawBytesInAnObjectIsARuntimeErrorAtTheItem() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT CASE 1 WHEN 1 THEN * END AS raw FROM 'a'");
        Evaluation e = s.evaluate(message("a", "not json"));
        assertThat(e).isInstanceOfSatisfying(Evaluation.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Evaluation.Kind.RUNTIME_ERROR);
            assertThat(f.column()).isEqualTo(8);
            assertThat(f.message()).contains("encode(*, 'base64')");
        });
    }

    @Test
    void theExceptionListsEveryProblem() {
        assertThatThrownBy(() -> SqlStatement.parse("SELECT foo(1), a b FROM sensors/#"))
                .isInstanceOfSatisfying(SqlException.class, e -> {
                    assertThat(e.errors()).hasSize(3);
                    assertThat(e.first()).isEqualTo(new SqlError(1, 8, "unknown function 'foo'",
                            "docs/rules-sql.md lists the functions"));
                    assertThat(e.getMessage()).isEqualTo("invalid rule SQL, 3 problems:\n"
                            + "  line 1, column 8: unknown function 'foo' (docs/rules-sql.md lists the functions)\n"
                            + "  line 1, column 18: expected ',' or FROM after a select item, found 'b'"
                            + " (to name the item, write AS b)\n"
                            + "  line 1, column 25: expected a topic filter in single quotes after FROM, found"
                            + " 'sensors' (write FROM 'sensors/#')");
                });
    }

    @Test
    void onlyVersion20160323() {
        assertThatThrownBy(() -> SqlStatement.parse("SELECT * FROM 'a'", "2015-10-08"))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.first().message())
                        .isEqualTo("SQL version 2015-10-08 is not supported"));
    }

    @Test
    void columnsCountCharactersNotBytesOrUtf16Units() {
        // the emoji is two UTF-16 units and one character
        assertThatThrownBy(() -> SqlStatement.parse("SELECT '\uD83D\uDE00' AS e, foo() FROM 'a'"))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.first().column()).isEqualTo(18));
    }

    @Test
    void newuuidAndRandVaryPerMessage() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT newuuid() AS id, rand() AS r FROM 'a'");
        MessageContext m = message("a", "{}");
        SqlValue.ObjectValue a = (SqlValue.ObjectValue) ((Evaluation.Output) s.evaluate(m)).value();
        SqlValue.ObjectValue b = (SqlValue.ObjectValue) ((Evaluation.Output) s.evaluate(m)).value();
        String id = ((SqlValue.StringValue) a.get("id")).value();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(a.get("id")).isNotEqualTo(b.get("id"));
        assertThat(a.get("r")).isInstanceOf(SqlValue.DecimalValue.class);
    }

    @Test
    void constantPartsAreFoldedWhenParsed() throws SqlException {
        SqlStatement s = SqlStatement.parse("SELECT upper('a') + concat('b', 1) AS c FROM 'a'");
        assertThat(s.readsPayloadJson()).isFalse();
        assertThat(((Evaluation.Output) s.evaluate(message("a", "x"))).value())
                .isEqualTo(SqlValue.object(java.util.Map.of("c", SqlValue.of("Ab1"))));
    }

    @Test
    void oneStatementEvaluatedByManyThreads() throws Exception {
        SqlStatement s = SqlStatement.parse(
                "SELECT id, regexp_replace(name, '[aeiou]', '_') AS n FROM 'd/+' WHERE regexp_matches(name, '^[a-z]+$')");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String payload = "{\"id\": " + (thread * 10_000 + i) + ", \"name\": \"device\"}";
                        Evaluation.Output out = (Evaluation.Output) s.evaluate(message("d/x", payload));
                        String expected = "{\"id\":" + (thread * 10_000 + i) + ",\"n\":\"d_v_c_\"}";
                        if (!new String(out.toBytes(), StandardCharsets.UTF_8).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        for (String expr : List.of("(".repeat(5_000) + "1" + ")".repeat(5_000), "NOT ".repeat(5_000) + "true",
                "- ".repeat(5_000) + "1", "[".repeat(5_000) + "]".repeat(5_000))) {
            assertThatThrownBy(() -> SqlStatement.parse("SELECT " + expr + " AS x FROM 'a'"))
                    .isInstanceOfSatisfying(SqlException.class, e -> {
                        assertThat(e.errors()).hasSize(1);
                        assertThat(e.first().message()).isEqualTo("the expression nests more than 100 levels deep");
                    });
        }
        // the limit is per expression, and it is back at zero for the next one
        String deep = "(".repeat(99) + "1" + ")".repeat(99);
        assertThatThrownBy(() -> SqlStatement.parse("SELECT " + "(".repeat(500) + "1" + ")".repeat(500) + " AS x, "
                + deep + " AS y, " + "(".repeat(101) + "1" + ")".repeat(101) + " AS z FROM 'a'"))
                .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.errors()).hasSize(2));
    }

    @Test
    void aRegularExpressionThatBacktracksForeverIsStopped() throws SqlException {
        // polynomial backtracking: about n^12 steps; 30 characters would take the thread for minutes
        SqlStatement s = SqlStatement.parse("SELECT regexp_matches(s, '^(.*a){12}$') AS m FROM 'a'");
        long start = System.nanoTime();
        Evaluation e = s.evaluate(message("a", "{\"s\": \"" + "a".repeat(40) + "!\"}"));
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(e).isInstanceOfSatisfying(Evaluation.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(Evaluation.Kind.RUNTIME_ERROR);
            assertThat(f.column()).isEqualTo(8);
            assertThat(f.message()).isEqualTo("regexp_matches() failed: the regular expression needs too many steps"
                    + " on this text (41 characters)");
        });
        // the same pattern on ordinary text is fine
        assertThat(s.evaluate(message("a", "{\"s\": \"aaaa\"}"))).isInstanceOf(Evaluation.Output.class);
    }
}
