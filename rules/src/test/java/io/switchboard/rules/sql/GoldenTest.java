package io.switchboard.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases of {@code src/test/resources/golden/*.json}, in the shape of AWS's rule test tool
 * ({@code sqlVersion, topic, inputPayload, inputSql, expectedOutput}) with a few more fields:
 *
 * <ul>
 *   <li>{@code inputPayload}: a String is the payload's text as sent (so {@code "23.4"} is a JSON number and
 *       {@code "hello"} a binary payload); any other JSON value is sent serialised. {@code inputPayloadBase64}
 *       gives raw bytes instead.
 *   <li>the message: {@code clientId}, {@code principal}, {@code timestamp}, {@code userProperties} (a list of
 *       [name, value]), {@code contentType}, {@code payloadFormatIndicator}, {@code responseTopic},
 *       {@code correlationData} (base64).
 *   <li>what to expect, one of: {@code expectedOutput} (JSON, compared as JSON, so {@code 10} is not {@code 10.0}),
 *       {@code expectedOutputText} (the exact bytes, as UTF-8), {@code expectedOutputBase64},
 *       {@code expectNoOutput} (the WHERE clause was not true), {@code expectedFailure} ({kind, line, column}),
 *       {@code expectedErrors} (the statement is refused: [{line, column, message[, hint]}], all of them, in order).
 *   <li>{@code doc}: what AWS's reference says, where the case comes from it.
 * </ul>
 *
 * <p>Each case's topic must match its FROM filter, so the cases also check the filter.
 */
class GoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        URL dir = GoldenTest.class.getResource("/golden");
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                for (JsonNode c : root) {
                    all.add(Arguments.of(file.getFileName() + ": " + c.path("name").asText(), c));
                }
            }
        }
        return all.stream();
    }

    @Test
    void thereAreEnoughCases() throws Exception {
        assertThat(cases().count()).isGreaterThan(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name, JsonNode c) throws Exception {
        assertThat(c.path("sqlVersion").asText()).as("sqlVersion").isEqualTo(SqlStatement.SQL_VERSION);
        String sql = c.path("inputSql").asText();
        if (c.has("expectedErrors")) {
            assertThatThrownBy(() -> SqlStatement.parse(sql, c.path("sqlVersion").asText()))
                    .isInstanceOfSatisfying(SqlException.class, e -> assertErrors(c.get("expectedErrors"), e));
            return;
        }
        SqlStatement statement;
        try {
            statement = SqlStatement.parse(sql, c.path("sqlVersion").asText());
        } catch (SqlException e) {
            fail("refused: " + e.getMessage());
            return;
        }
        String topic = c.path("topic").asText();
        assertThat(statement.from().matches(topic)).as("topic %s matches FROM %s", topic, statement.from()).isTrue();

        Evaluation result = statement.evaluate(RuleInput.of(message(c, topic)));
        if (c.has("expectNoOutput")) {
            assertThat(result).isEqualTo(Evaluation.NoOutput.INSTANCE);
        } else if (c.has("expectedFailure")) {
            JsonNode f = c.get("expectedFailure");
            assertThat(result).isInstanceOfSatisfying(Evaluation.Failure.class, failure -> {
                assertThat(failure.kind().name()).isEqualTo(f.path("kind").asText());
                assertThat(failure.line()).as("line").isEqualTo(f.path("line").asInt());
                assertThat(failure.column()).as("column").isEqualTo(f.path("column").asInt());
            });
        } else {
            assertThat(result).isInstanceOf(Evaluation.Output.class);
            byte[] bytes = ((Evaluation.Output) result).toBytes();
            if (c.has("expectedOutputText")) {
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(c.get("expectedOutputText").asText());
            } else if (c.has("expectedOutputBase64")) {
                assertThat(Base64.getEncoder().encodeToString(bytes)).isEqualTo(c.get("expectedOutputBase64").asText());
            } else if (c.has("expectedOutput")) {
                JsonNode actual = JSON.readTree(bytes);
                assertThat(actual).as("output %s", new String(bytes, StandardCharsets.UTF_8))
                        .isEqualTo(c.get("expectedOutput"));
            } else {
                fail("the case says nothing of what to expect");
            }
        }
    }

    private static void assertErrors(JsonNode expected, SqlException e) {
        List<SqlError> errors = e.errors();
        List<String> want = new ArrayList<>();
        for (JsonNode x : expected) {
            want.add(x.path("line").asInt() + ":" + x.path("column").asInt() + " " + x.path("message").asText());
        }
        List<String> got = new ArrayList<>();
        for (SqlError err : errors) {
            got.add(err.line() + ":" + err.column() + " " + err.message());
        }
        assertThat(got).as(e.getMessage()).isEqualTo(want);
        Iterator<JsonNode> x = expected.iterator();
        for (SqlError err : errors) {
            JsonNode w = x.next();
            if (w.has("hint")) {
                assertThat(err.hint()).isEqualTo(w.get("hint").asText());
            }
            assertThat(err.hint()).as("every error has a hint: " + err).isNotEmpty();
        }
    }

    private static MessageContext message(JsonNode c, String topic) throws IOException {
        MessageContext.Builder b = MessageContext.builder(topic);
        if (c.has("inputPayloadBase64")) {
            b.payload(Base64.getDecoder().decode(c.get("inputPayloadBase64").asText()));
        } else if (c.has("inputPayload")) {
            JsonNode p = c.get("inputPayload");
            b.payload(p.isTextual() ? p.asText().getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(p));
        }
        if (c.has("clientId")) {
            b.clientId(c.get("clientId").asText());
        }
        if (c.has("principal")) {
            b.principal(c.get("principal").asText());
        }
        b.timestampMillis(c.path("timestamp").asLong(1481825251155L));
        for (JsonNode p : c.path("userProperties")) {
            b.userProperty(p.get(0).asText(), p.get(1).asText());
        }
        if (c.has("contentType")) {
            b.contentType(c.get("contentType").asText());
        }
        if (c.has("payloadFormatIndicator")) {
            b.payloadFormatIndicator(c.get("payloadFormatIndicator").asInt());
        }
        if (c.has("responseTopic")) {
            b.responseTopic(c.get("responseTopic").asText());
        }
        if (c.has("correlationData")) {
            b.correlationData(Base64.getDecoder().decode(c.get("correlationData").asText()));
        }
        return b.build();
    }

    /** Reads a golden file as text, for tests that want one case by name. */
    static JsonNode golden(String file) throws IOException {
        try (InputStream in = GoldenTest.class.getResourceAsStream("/golden/" + file)) {
            return JSON.readTree(in);
        }
    }
}
