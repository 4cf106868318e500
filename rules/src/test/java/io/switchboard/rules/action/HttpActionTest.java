package io.switchboard.rules.action;

import static io.switchboard.rules.action.ActionTesting.failedAtOnce;
import static io.switchboard.rules.action.ActionTesting.failure;
import static io.switchboard.rules.action.ActionTesting.input;
import static io.switchboard.rules.action.ActionTesting.message;
import static io.switchboard.rules.action.ActionTesting.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.rules.sql.MessageContext;
import io.switchboard.rules.sql.RuleInput;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The http action against a real JDK HttpServer on loopback: what it sends, retries, failures, bounds. */
class HttpActionTest {
    private static final String PAYLOAD = "{\"site\": \"north\", \"t\": 21.5}";
    private static final RuleInput MESSAGE = message("sensors/site-7/temp", PAYLOAD);
    private static final String OUTPUT = "{\"t\":21.5,\"site\":\"north\"}";

    private static HttpActionConfig config(String url, Integer timeoutMillis, Integer retries, Integer queueSize,
            Integer concurrency) {
        return new HttpActionConfig(url, null, timeoutMillis, retries, 10, queueSize, concurrency);
    }

    @Test
    void postsTheOutputAsJsonToTheRenderedUrlWithTheRenderedHeaders() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Site", "${site}");
        headers.put("X-Topic", "${topic()}");
        headers.put("Authorization", "Bearer s3cret");
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> 204);
             HttpAction action = new HttpAction(new HttpActionConfig(
                     endpoint.url("/devices/${clientid()}/${topic(2)}"), headers, null, null, null, null, null))) {
            assertThat(action.kind()).isEqualTo("http");
            succeeded(action.run(input(MESSAGE, OUTPUT)));

            assertThat(endpoint.received).hasSize(1);
            TestEndpoint.Received r = endpoint.received.get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/devices/sensor-17/site-7");
            assertThat(r.body()).isEqualTo(OUTPUT);
            assertThat(r.headers().get("Content-Type")).containsExactly("application/json");
            assertThat(r.headers().getFirst("X-Site")).isEqualTo("north");
            assertThat(r.headers().getFirst("X-Topic")).isEqualTo("sensors/site-7/temp");
            assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
        }
    }

    @Test
    void aContentTypeHeaderReplacesTheDefault() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> 200);
             HttpAction action = new HttpAction(new HttpActionConfig(endpoint.url("/events"),
                     Map.of("content-type", "application/cloudevents+json"), null, null, null, null, null))) {
            succeeded(action.run(input(MESSAGE, OUTPUT)));
            assertThat(endpoint.received.get(0).headers().get("Content-Type"))
                    .containsExactly("application/cloudevents+json");
        }
    }

    @Test
    void retriesAfter429And5xxThenSucceeds() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> n == 1 ? 503 : n == 2 ? 429 : 200);
             HttpAction action = new HttpAction(config(endpoint.url("/x"), null, 3, null, null))) {
            succeeded(action.run(input(MESSAGE, OUTPUT)));
            assertThat(endpoint.received).hasSize(3)
                    .allSatisfy(r -> assertThat(r.body()).isEqualTo(OUTPUT));
        }
    }

    @Test
    void failsWithTheLastStatusWhenTheRetriesAreSpent() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> 503);
             HttpAction action = new HttpAction(config(endpoint.url("/x"), null, 3, null, null))) {
            assertThat(failure(action.run(input(MESSAGE, OUTPUT))))
                    .isEqualTo("HTTP 503 after 4 attempts (" + endpoint.url("/x")
                            + "): {\"error\": \"status 503\", \"request\": 4}");
            assertThat(endpoint.received).hasSize(4);
        }
    }

    @Test
    void anotherClientErrorIsNotRetried() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> 404);
             HttpAction action = new HttpAction(config(endpoint.url("/missing"), null, 3, null, null))) {
            assertThat(failure(action.run(input(MESSAGE, OUTPUT))))
                    .isEqualTo("HTTP 404 Not Found from " + endpoint.url("/missing")
                            + ": {\"error\": \"status 404\", \"request\": 1}");
            assertThat(endpoint.received).hasSize(1);
        }
    }

    @Test
    void aClientErrorAfterARetrySaysWhichAttempt() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> n == 1 ? 500 : 400);
             HttpAction action = new HttpAction(config(endpoint.url("/x"), null, 3, null, null))) {
            assertThat(failure(action.run(input(MESSAGE, OUTPUT))))
                    .startsWith("HTTP 400 Bad Request from " + endpoint.url("/x") + " (attempt 2): ");
            assertThat(endpoint.received).hasSize(2);
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerTimesOutOnEachAttempt() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.held();
             HttpAction action = new HttpAction(config(endpoint.url("/slow"), 100, 1, null, null))) {
            assertThat(failure(action.run(input(MESSAGE, OUTPUT))))
                    .isEqualTo("timed out after 100 ms, 2 attempts (" + endpoint.url("/slow") + ")");
            // not exactly 2: on a busy machine an attempt may time out before its request reaches the endpoint
            assertThat(endpoint.received).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void anEndpointThatRefusesConnectionsFailsAfterTheRetries() throws Exception {
        String url;
        try (TestEndpoint gone = TestEndpoint.scripted(n -> 200)) {
            url = gone.url("/x");
        }
        try (HttpAction action = new HttpAction(config(url, null, 1, null, null))) {
            assertThat(failure(action.run(input(MESSAGE, OUTPUT))))
                    .startsWith("cannot connect")
                    .endsWith(" after 2 attempts (" + url + ")");
        }
    }

    @Test
    void aFullQueueFailsAtOnce() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.held();
             HttpAction action = new HttpAction(config(endpoint.url("/x"), 60_000, 0, 2, 1))) {
            // one in flight (held by the endpoint) and two waiting
            List<CompletionStage<Void>> admitted = List.of(action.run(input(MESSAGE, OUTPUT)),
                    action.run(input(MESSAGE, OUTPUT)), action.run(input(MESSAGE, OUTPUT)));
            assertThat(failedAtOnce(action.run(input(MESSAGE, OUTPUT))))
                    .isEqualTo("queue full (2 waiting): the endpoint is slower than the messages");
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() == 1);
            endpoint.release();
            admitted.forEach(ActionTesting::succeeded);
            assertThat(endpoint.received).hasSize(3);
            // the places are free again
            succeeded(action.run(input(MESSAGE, OUTPUT)));
        }
    }

    @Test
    void closeFailsWhatIsQueuedAndInFlight() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.held()) {
            HttpAction action = new HttpAction(config(endpoint.url("/x"), 60_000, 0, 10, 1));
            List<CompletionStage<Void>> runs = List.of(action.run(input(MESSAGE, OUTPUT)),
                    action.run(input(MESSAGE, OUTPUT)), action.run(input(MESSAGE, OUTPUT)));
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() == 1);

            action.close();
            assertThat(runs).allSatisfy(r -> assertThat(failedAtOnce(r)).isEqualTo("the rule was stopped"));
            assertThat(failedAtOnce(action.run(input(MESSAGE, OUTPUT)))).isEqualTo("the rule was stopped");
            action.close(); // again: nothing happens

            endpoint.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("sb-rule-http-")));
            assertThat(endpoint.received).hasSize(1);
        }
    }

    @Test
    void aUrlThatIsNotHttpAfterSubstitutionFailsAtOnce() {
        try (HttpAction action = new HttpAction(HttpActionConfig.of("${target}"))) {
            RuleInput ftp = message("t", "{\"target\": \"ftp://files.example/drop\"}");
            assertThat(failedAtOnce(action.run(input(ftp, OUTPUT))))
                    .isEqualTo("the URL 'ftp://files.example/drop' is not http or https");
            RuleInput spaced = message("t", "{\"target\": \"http://x.example/a b\"}");
            assertThat(failedAtOnce(action.run(input(spaced, OUTPUT))))
                    .startsWith("the URL 'http://x.example/a b' is not a valid URL (Illegal character in path");
            RuleInput binary = RuleInput.of(MessageContext.builder("t").payload(new byte[] {(byte) 0xFF}).build());
            assertThat(failedAtOnce(action.run(input(binary, OUTPUT))))
                    .isEqualTo("cannot render the URL: the template '${target}' reads fields of the payload's JSON,"
                            + " and the payload is not JSON");
        }
    }

    @Test
    void aHeaderThatRendersALineBreakFailsAtOnce() {
        try (HttpAction action = new HttpAction(new HttpActionConfig("http://127.0.0.1:9/x",
                Map.of("X-Note", "${note}"), null, null, null, null, null))) {
            RuleInput m = message("t", "{\"note\": \"a\\r\\nInjected: yes\"}");
            assertThat(failedAtOnce(action.run(input(m, OUTPUT))))
                    .isEqualTo("the header X-Note has a line break after substitution");
        }
    }

    @Test
    void connectionFailuresAreSaidInWords() {
        URI uri = URI.create("http://x.example/a");
        ConnectException refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        assertThat(HttpTarget.describe(refused, uri)).isEqualTo("cannot connect (refused or closed)");
        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());
        assertThat(HttpTarget.describe(unresolved, uri)).isEqualTo("unknown host x.example");
        assertThat(HttpTarget.describe(new IOException("HTTP/1.1 header parser received no bytes"), uri))
                .isEqualTo("I/O error: HTTP/1.1 header parser received no bytes");
    }

    @Test
    void backOffDoublesWithJitterUpToThirtySeconds() {
        assertThat(Backoff.millis(200, 1, 0)).isEqualTo(200);
        assertThat(Backoff.millis(200, 1, 0.999)).isEqualTo(101);
        assertThat(Backoff.millis(200, 2, 0)).isEqualTo(400);
        assertThat(Backoff.millis(200, 4, 0.5)).isEqualTo(1200);
        assertThat(Backoff.millis(60_000, 1, 0)).isEqualTo(30_000);
        assertThat(Backoff.millis(10, 11, 0)).isEqualTo(10_240);
        assertThat(Backoff.millis(10, 40, 0)).isEqualTo(30_000);
    }
}
