package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.security.PasswordHash;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Rules page against a broker with rules (a rules file in a temporary directory, reloaded only on
 * request) and one without: rules defined, disabled and deleted through the page, their counters
 * going up as a real MQTT client (HiveMQ MQTT Client) publishes, statements tested against samples
 * with their errors' positions marked, and what a read-only user sees.
 */
class RulesConsoleTest {
    static final Path DIR = tempDir();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(Console.LOCAL + "rules: {file: \"%s\", reloadCheckSeconds: 0}\n"
            .formatted(DIR.resolve("rules.yaml")));

    @RegisterExtension
    static EmbeddedBroker noRules = EmbeddedBroker.fromYaml(Console.LOCAL);

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    static Path tempDir() {
        try {
            return Files.createTempDirectory("switchboard-console-rules-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteDir() {
        EmbeddedBroker.deleteTree(DIR);
    }

    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** A request to the admin API of the broker with rules (no users: this machine is admin). */
    static Answer api(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.broker().httpPort() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            r.header("Content-Type", "application/json");
        }
        HttpResponse<String> res = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(res.statusCode(), res.body());
    }

    static Mqtt5BlockingClient connect(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        c.connect();
        return c;
    }

    static String row(String rule) {
        return "[data-role='rules'] tr[data-rule='" + rule + "']";
    }

    /** Waits until the element's text is exactly {@code text} (the list is polled every 3 s). */
    void awaitExactly(String css, String text) {
        browser.await(d -> browser.textOf(css).filter(text::equals).isPresent());
    }

    String textContent(String css) {
        return browser.find(css).getDomProperty("textContent");
    }

    @Test
    @DisplayName("Without rules.file the API answers 409: the page says rules are off and how to turn them on;"
            + " statements can still be tested")
    void rulesOff() {
        browser.open(Console.url(noRules, "#/rules"));
        browser.awaitText("[data-role='rules-off']", "Rules are off");
        assertThat(browser.find("[data-role='rules-off']").getText())
                .contains("configure rules.file", "rules:", "file: ./rules.yaml", "reloadCheckSeconds");
        assertThat(browser.all("[data-role='new-rule']")).isEmpty();

        browser.click("[data-role='test-run']"); // the example the panel starts with
        browser.awaitText("[data-role='test-output']", "\"room\": \"attic\"");
    }

    @Test
    @DisplayName("A rule defined through the page is listed; a real client's messages raise its matched, passed and"
            + " actions counters on the page; disabled from the page, it shows disabled and the API says so")
    void defineRunAndDisable() throws Exception {
        String sql = "SELECT temp, topic(2) AS room FROM 'rooms/+/temp' WHERE temp > 30";
        browser.open(Console.url(broker, "#/rules"));
        browser.click("[data-role='new-rule']");
        assertThat(browser.find("[data-role='rule-actions']").getDomProperty("value"))
                .isEqualTo("[{\"republish\": {\"topic\": \"out/${topic(2)}\"}}]");
        browser.type("[data-role='rule-name']", "hot");
        browser.type("[data-role='rule-sql']", sql);
        browser.type("[data-role='rule-actions']", "[{\"republish\": {\"topic\": \"alerts/${topic(2)}\", \"qos\": 1}}]");
        browser.click("[data-role='save-rule']");

        browser.find("[data-role='rule-details']");
        browser.awaitText("[data-role='rule-details'] [data-role='rule-actions']", "\"topic\": \"alerts/${topic(2)}\"");
        assertThat(browser.find("[data-role='rule-details'] [data-role='rule-sql']").getText()).isEqualTo(sql);
        assertThat(browser.find("[data-role='enabled']").getText()).isEqualTo("enabled");
        assertThat(Files.readString(DIR.resolve("rules.yaml"))).contains("name: \"hot\"");

        browser.click("a[href='#/rules']");
        awaitExactly(row("hot") + " [data-role='from']", "rooms/+/temp");
        assertThat(browser.find(row("hot") + " [data-role='enabled']").getText()).isEqualTo("enabled");
        assertThat(browser.find(row("hot") + " [data-counter='matched']").getText()).isEqualTo("0");

        Mqtt5BlockingClient device = connect("rules-console-device");
        try (Mqtt5BlockingClient.Mqtt5Publishes alerts = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("alerts/#").qos(MqttQos.AT_LEAST_ONCE).send();
            device.publishWith().topic("rooms/kitchen/temp").qos(MqttQos.AT_LEAST_ONCE).payload("{\"temp\": 25}".getBytes(UTF_8)).send();
            device.publishWith().topic("rooms/attic/temp").qos(MqttQos.AT_LEAST_ONCE).payload("{\"temp\": 41}".getBytes(UTF_8)).send();
            Mqtt5Publish alert = alerts.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(alert.getTopic().toString()).isEqualTo("alerts/attic");
            assertThat(new String(alert.getPayloadAsBytes(), UTF_8)).isEqualTo("{\"temp\":41,\"room\":\"attic\"}");
        } finally {
            device.disconnect();
        }
        awaitExactly(row("hot") + " [data-counter='matched']", "2");
        awaitExactly(row("hot") + " [data-counter='passed']", "1");
        awaitExactly(row("hot") + " [data-counter='actions-succeeded']", "1");
        assertThat(browser.find(row("hot") + " [data-counter='failed']").getText()).isEqualTo("0");
        assertThat(browser.find(row("hot") + " [data-counter='actions-succeeded']").getAttribute("title"))
                .isEqualTo("republish: 1");

        browser.click(row("hot") + " [data-role='toggle-rule']");
        awaitExactly(row("hot") + " [data-role='enabled']", "disabled");
        assertThat(browser.find(row("hot") + " [data-role='toggle-rule']").getText()).isEqualTo("Enable");
        JsonNode rule = api("GET", "/api/v1/rules/hot", null).json();
        assertThat(rule.get("enabled").asBoolean()).isFalse();
        assertThat(rule.get("sql").asText()).isEqualTo(sql);
    }

    @Test
    @DisplayName("Editing a rule: the form holds its definition (name fixed, SQL, enabled, actions and error action as"
            + " JSON); saved, the rule is replaced, what was not changed kept")
    void editARule() throws Exception {
        assertThat(api("PUT", "/api/v1/rules/tweak", """
                {"sql": "SELECT * FROM 'tweak/#'", "enabled": false,
                 "actions": [{"republish": {"topic": "tweaked/${topic(2)}"}}],
                 "errorAction": {"republish": {"topic": "tweak-errors"}}}
                """).status()).isEqualTo(201);
        browser.open(Console.url(broker, "#/rules"));
        browser.click(row("tweak") + " [data-role='edit-rule']");
        browser.await(d -> "SELECT * FROM 'tweak/#'".equals(browser.find("[data-role='rule-sql']").getDomProperty("value")));
        assertThat(browser.find("[data-role='rule-name']").getDomProperty("value")).isEqualTo("tweak");
        assertThat(browser.find("[data-role='rule-name']").isEnabled()).isFalse();
        assertThat(browser.find("[data-role='rule-enabled']").isSelected()).isFalse();
        assertThat(browser.find("[data-role='rule-actions']").getDomProperty("value"))
                .isEqualTo("[\n  {\n    \"republish\": {\n      \"topic\": \"tweaked/${topic(2)}\"\n    }\n  }\n]");
        assertThat(browser.find("[data-role='rule-error-action']").getDomProperty("value")).contains("\"tweak-errors\"");
        assertThat(browser.find("[data-role='test-sql']").getDomProperty("value")).isEqualTo("SELECT * FROM 'tweak/#'");

        browser.type("[data-role='rule-sql']", "SELECT * FROM 'tweak/#' WHERE level > 2");
        browser.click("[data-role='save-rule']");
        browser.awaitText("[data-role='rule-details'] [data-role='rule-sql']", "WHERE level > 2");
        JsonNode rule = api("GET", "/api/v1/rules/tweak", null).json();
        assertThat(rule.get("sql").asText()).isEqualTo("SELECT * FROM 'tweak/#' WHERE level > 2");
        assertThat(rule.get("enabled").asBoolean()).isFalse();
        assertThat(rule.get("errorAction").toString()).isEqualTo("{\"republish\":{\"topic\":\"tweak-errors\"}}");
    }

    @Test
    @DisplayName("A rule whose SQL has a typo is refused with the problem's text and its position marked; nothing"
            + " is defined")
    void invalidRuleRefused() throws Exception {
        browser.open(Console.url(broker, "#/rules?new"));
        browser.type("[data-role='rule-name']", "typo");
        browser.type("[data-role='rule-sql']", "SELECT temp, FROM 'a/#'");
        browser.click("[data-role='save-rule']");
        browser.awaitText("[data-role='rule-problem-text']", "sql line 1, column 12: expected FROM after the select list,"
                + " found ',' (remove the comma before FROM)");
        assertThat(textContent("[data-role='rule-problem'] [data-role='sql-marked']"))
                .startsWith("1 | SELECT temp, FROM 'a/#'\n  |            ^ expected FROM after the select list");
        assertThat(api("GET", "/api/v1/rules/typo", null).status()).isEqualTo(404);

        browser.type("[data-role='rule-sql']", "SELECT temp FROM 'a/#'");
        browser.type("[data-role='rule-actions']", "[{\"republish\": ");
        browser.click("[data-role='save-rule']");
        browser.awaitText("[data-role='rule-problem-text']", "Actions: not valid JSON");
    }

    @Test
    @DisplayName("Testing a statement: its output as pretty JSON (user properties and a JSON payload read), a"
            + " binary output as base64, no output when WHERE is false, and whether FROM matches the topic")
    void testStatement() {
        browser.open(Console.url(broker, "#/rules"));
        browser.type("[data-role='test-sql']", "SELECT get_user_property('vendor') AS v, upper(name) AS n, clientid() AS c"
                + " FROM 'a/#'");
        browser.type("[data-role='test-topic']", "a/b");
        browser.choose("[data-role='test-payload-format']", "json");
        browser.type("[data-role='test-payload']", "{\"name\": \"door\"}");
        browser.click("[data-role='test-user-properties'] + [data-role='add-user-property']");
        browser.find("[data-role='test-user-properties'] [data-role='up-name']").sendKeys("vendor");
        browser.find("[data-role='test-user-properties'] [data-role='up-value']").sendKeys("<b>acme</b>");
        browser.type("[data-role='test-client-id']", "sensor-9");
        browser.click("[data-role='test-run']");
        browser.awaitText("[data-role='test-outcome']", "output");
        assertThat(browser.find("[data-role='test-output']").getText())
                .isEqualTo("{\n  \"v\": \"<b>acme</b>\",\n  \"n\": \"DOOR\",\n  \"c\": \"sensor-9\"\n}");
        assertThat(browser.all("main b")).extracting(e -> e.getText()).doesNotContain("acme");
        assertThat(browser.find("[data-role='from-match']").getAttribute("data-matches")).isEqualTo("true");

        browser.type("[data-role='test-sql']", "SELECT * FROM 'b/#'");
        browser.choose("[data-role='test-payload-format']", "hex");
        browser.type("[data-role='test-payload']", "ca fe");
        browser.click("[data-role='test-run']");
        browser.find("[data-role='test-output-binary']");
        browser.click("[data-role='test-output-binary'] [data-format='base64']");
        awaitExactly("[data-role='test-output-binary'] [data-role='payload']", "yv4=");
        assertThat(browser.find("[data-role='from-match']").getText())
                .isEqualTo("FROM does not match the topic a/b: a rule with this statement would not see this message.");

        browser.type("[data-role='test-sql']", "SELECT temp FROM 'a/#' WHERE temp > 30");
        browser.choose("[data-role='test-payload-format']", "text");
        browser.type("[data-role='test-payload']", "{\"temp\": 25}");
        browser.click("[data-role='test-run']");
        browser.awaitText("[data-role='no-output']", "WHERE was not true");
        assertThat(browser.find("[data-role='test-outcome']").getText()).isEqualTo("no output");
    }

    @Test
    @DisplayName("Testing a statement with a typo shows the error at line 1, column 12 with its hint and the position"
            + " marked under the SQL; a payload that is not JSON shows the failure and where the statement read it")
    void statementErrors() {
        browser.open(Console.url(broker, "#/rules"));
        browser.type("[data-role='test-sql']", "SELECT temp, FROM 'a/#'");
        browser.type("[data-role='test-topic']", "a/b");
        browser.click("[data-role='test-run']");
        browser.awaitText("[data-role='test-outcome']", "invalid");
        assertThat(browser.find("[data-role='sql-errors']").getText())
                .isEqualTo("line 1, column 12: expected FROM after the select list, found ','\nremove the comma before FROM");
        assertThat(textContent("[data-role='test-result'] [data-role='sql-marked']")).isEqualTo(
                "1 | SELECT temp, FROM 'a/#'\n  |            ^ expected FROM after the select list, found ','");

        browser.type("[data-role='test-sql']", "SELECT a\nFROM 'a/#'");
        browser.choose("[data-role='test-payload-format']", "hex");
        browser.type("[data-role='test-payload']", "ff 00");
        browser.click("[data-role='test-run']");
        browser.awaitText("[data-role='test-outcome']", "failure: payload_not_json");
        assertThat(browser.find("[data-role='failure']").getText()).startsWith("line 1, column 8: ");
        assertThat(textContent("[data-role='test-result'] [data-role='sql-marked']"))
                .isEqualTo("1 | SELECT a\n  |        ^ payload_not_json\n2 | FROM 'a/#'");
    }

    @Test
    @DisplayName("Deleting a rule asks first: cancelled, it stays; confirmed (from its page), it is gone from the"
            + " page, the API and the rules file")
    void deleteWithConfirmation() throws Exception {
        assertThat(api("PUT", "/api/v1/rules/doomed", """
                {"sql": "SELECT * FROM 'doomed/#'", "actions": [{"republish": {"topic": "gone/${topic(2)}"}}]}
                """).status()).isEqualTo(201);
        browser.open(Console.url(broker, "#/rules"));
        browser.click(row("doomed") + " [data-role='delete-rule']");
        browser.awaitText("dialog", "Delete this rule?");
        browser.click("dialog [data-role='cancel']");
        browser.await(d -> browser.all("dialog").isEmpty());
        assertThat(api("GET", "/api/v1/rules/doomed", null).status()).isEqualTo(200);

        browser.click(row("doomed") + " [data-role='rule-link']");
        browser.awaitText("[data-role='rule-details'] [data-role='rule-sql']", "SELECT * FROM 'doomed/#'");
        browser.click("[data-role='delete-rule']");
        browser.click("dialog [data-role='confirm']");
        browser.find("main[data-page='rules'] [data-role='rules'] table");
        browser.await(d -> browser.all(row("doomed")).isEmpty());
        assertThat(api("GET", "/api/v1/rules/doomed", null).status()).isEqualTo(404);
        assertThat(Files.readString(DIR.resolve("rules.yaml"))).doesNotContain("doomed");
    }

    @Test
    @DisplayName("A read-only user sees the rules, a rule's details and the test panel, and no action button")
    void readOnly() throws Exception {
        Path dir = tempDir();
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: watched
                    sql: "SELECT * FROM 'watched/#'"
                    actions: [{republish: {topic: 'seen/${topic(2)}'}}]
                """);
        String password = "victor s3cret";
        try (EmbeddedBroker secured = EmbeddedBroker.fromYaml("""
                listeners: [{name: default, port: 0}]
                rules: {file: "%s", reloadCheckSeconds: 0}
                http:
                  port: 0
                  users: [{name: victor, role: read-only, passwordHash: '%s'}]
                """.formatted(dir.resolve("rules.yaml"), PasswordHash.pbkdf2(password.getBytes(UTF_8), 1000)))) {
            secured.start();
            browser.open(Console.url(secured, "#/rules"));
            browser.role("username").sendKeys("victor");
            browser.role("password").sendKeys(password);
            browser.click("[data-role='sign-in']");
            browser.awaitText("[data-role='role']", "read-only");
            awaitExactly(row("watched") + " [data-role='from']", "watched/#");
            assertThat(browser.all("[data-role='new-rule'], [data-role='edit-rule'], [data-role='toggle-rule'],"
                    + " [data-role='delete-rule']")).isEmpty();

            browser.click(row("watched") + " [data-role='rule-link']");
            browser.awaitText("[data-role='rule-details'] [data-role='rule-actions']", "seen/${topic(2)}");
            assertThat(browser.all("[data-role='edit-rule'], [data-role='toggle-rule'], [data-role='delete-rule']")).isEmpty();
            assertThat(browser.find("[data-role='test-sql']").getDomProperty("value")).isEqualTo("SELECT * FROM 'watched/#'");
            assertThat(browser.find("[data-role='test-topic']").getDomProperty("value")).isEqualTo("watched/sample");
            browser.type("[data-role='test-payload']", "{\"a\": 1}");
            browser.click("[data-role='test-run']");
            browser.awaitText("[data-role='test-output']", "\"a\": 1");

            browser.open(Console.url(secured, "#/rules/watched?edit"));
            browser.awaitText("main", "Only administrators may define or change rules.");
            assertThat(browser.all("[data-role='save-rule']")).isEmpty();
            browser.script("sessionStorage.clear()");
        } finally {
            EmbeddedBroker.deleteTree(dir);
        }
    }

    @Test
    @DisplayName("Screenshots: rules with their counters (one disabled, one whose payloads are not JSON, one whose"
            + " endpoint is down) and a statement tested, its error marked; one rule's details")
    void screenshot() throws Exception {
        for (JsonNode r : api("GET", "/api/v1/rules", null).json().get("items")) {
            api("DELETE", "/api/v1/rules/" + r.get("name").asText(), null);
        }
        String errors = JSON.writeValueAsString(DIR.resolve("rule-errors.jsonl").toString());
        define("overheat", "SELECT temp, topic(2) AS room FROM 'rooms/+/temp' WHERE temp > 30",
                "[{\"republish\": {\"topic\": \"alerts/${topic(2)}\", \"qos\": 1}}]", null, true);
        define("normalise", "SELECT CASE nanvl(get_user_property(\"Content-Type\"), \"text/plain\") WHEN \"base64\""
                + " THEN decode(*, \"base64\") ELSE * END AS sensor_value, topic(3) AS sensor FROM 'sensors/#'",
                "[{\"republish\": {\"topic\": \"normalised/${topic(2)}/${topic(3)}\", \"qos\": 1}}]",
                "{\"file\": {\"path\": " + errors + "}}", true);
        define("door-events", "SELECT state, clientid() AS door FROM 'doors/+/events'",
                "[{\"file\": {\"path\": " + JSON.writeValueAsString(DIR.resolve("door-events.jsonl").toString()) + "}}]",
                "{\"file\": {\"path\": " + errors + "}}", true);
        define("ingest", "SELECT * FROM 'devices/+/telemetry'",
                "[{\"http\": {\"url\": \"http://127.0.0.1:1/ingest\", \"retries\": 0}}]", null, true);
        define("legacy-bridge", "SELECT * FROM 'legacy/#'",
                "[{\"http\": {\"url\": \"http://127.0.0.1:9/bridge\"}}]", null, false);

        Mqtt5BlockingClient device = connect("rules-console-fleet");
        try {
            int[] temps = {21, 24, 33, 19, 35, 22, 31, 23, 20, 36, 25, 22};
            for (int i = 0; i < temps.length; i++) {
                String room = new String[] {"attic", "kitchen", "hall"}[i % 3];
                publish(device, "rooms/" + room + "/temp", "{\"temp\": " + temps[i] + "}");
            }
            publish(device, "sensors/gateway01/sensor01", "23.4");
            publish(device, "sensors/gateway01/sensor02", "{\"value\": 21.9}");
            for (int i = 0; i < 6; i++) {
                publish(device, "doors/door-" + i + "/events", "{\"state\": \"" + (i % 2 == 0 ? "open" : "closed") + "\"}");
            }
            publish(device, "doors/door-7/events", "OPEN");
            publish(device, "doors/door-8/events", "closed");
            for (int i = 0; i < 3; i++) {
                publish(device, "devices/meter-12/telemetry", "{\"kwh\": " + (120 + i) + "}");
            }
        } finally {
            device.disconnect();
        }

        browser.open(Console.url(broker, "#/rules"));
        awaitExactly(row("overheat") + " [data-counter='passed']", "4");
        awaitExactly(row("door-events") + " [data-counter='failed']", "2");
        awaitExactly(row("ingest") + " [data-counter='actions-failed']", "3");
        awaitExactly(row("door-events") + " [data-counter='actions-succeeded']", "6");
        browser.type("[data-role='test-sql']", "SELECT temp, topic(2) AS room,\n       uper(name) AS label\n"
                + "FROM 'rooms/+/temp' WHERE temp > 30");
        browser.click("[data-role='test-run']");
        browser.awaitText("[data-role='test-outcome']", "invalid");
        browser.screenshot("rules");

        browser.click(row("door-events") + " [data-role='rule-link']");
        browser.awaitText("[data-role='rule-details'] [data-counter='failed']", "2 (payload_not_json 2)");
        browser.screenshot("rule-details");
    }

    static void define(String name, String sql, String actions, String errorAction, boolean enabled) throws Exception {
        String body = "{\"sql\": " + JSON.writeValueAsString(sql) + ", \"enabled\": " + enabled + ", \"actions\": " + actions
                + (errorAction == null ? "" : ", \"errorAction\": " + errorAction) + "}";
        Answer a = api("PUT", "/api/v1/rules/" + name, body);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
    }

    static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(UTF_8)).send();
    }
}
