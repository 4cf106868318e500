package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.switchboard.testkit.EmbeddedBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The MQTT test client in a real Chromium: the page connects to the broker's WebSocket listener with
 * the credential the console is given, subscribes and publishes with MQTT.js, and a HiveMQ MQTT client
 * on the TCP listener is the other side.
 */
class TestClientConsoleTest {
    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(Console.LOCAL);

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    /** Messages a subscription's log keeps (LOG_SIZE in pages/test-client.js). */
    static final int LOG_SIZE = 500;

    Mqtt5BlockingClient device;
    TestClientPage page;

    @BeforeEach
    void connect() {
        device = Mqtt5Client.builder().identifier("console-test-device").serverHost(broker.host())
                .serverPort(broker.port()).buildBlocking();
        device.connect();
        page = new TestClientPage(browser).open(Console.url(broker, "#/test-client"));
    }

    @AfterEach
    void disconnect() {
        device.disconnect();
    }

    @Test
    @DisplayName("A message published from the page with user properties reaches a real client with them, and the"
            + " page's own subscription logs it with its user properties, escaped")
    void publishWithUserProperties() throws Exception {
        String hostile = "<img src=x onerror=\"document.title='owned'\">";
        try (Mqtt5BlockingClient.Mqtt5Publishes received = device.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            device.subscribeWith().topicFilter("console/up/#").qos(MqttQos.AT_LEAST_ONCE).send();
            page.subscribe("console/up/#");

            page.publish("console/up/hello", 1, "{\"greeting\": \"hello\"}", "json",
                    List.of(Map.entry("region", "eu"), Map.entry("region", "us"), Map.entry("html", hostile)));

            Optional<Mqtt5Publish> got = received.receive(20, TimeUnit.SECONDS);
            assertThat(got).isPresent();
            assertThat(new String(got.get().getPayloadAsBytes(), UTF_8)).isEqualTo("{\"greeting\": \"hello\"}");
            assertThat(got.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(got.get().getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                    .containsExactly("region=eu", "region=us", "html=" + hostile);
        }

        WebElement entry = page.awaitMessage("console/up/hello", "greeting");
        assertThat(entry.findElements(By.cssSelector("[data-role='user-property']"))).extracting(WebElement::getText)
                .containsExactly("region=eu", "region=us", "html=" + hostile);
        assertThat(entry.findElements(By.tagName("img"))).as("attacker-controlled text stays text").isEmpty();
        assertThat(browser.driver().getTitle()).doesNotContain("owned");
        assertThat(browser.find("[data-role='publish-result']").getText()).startsWith("PUBACK 0x00 Success");
    }

    @Test
    @DisplayName("Publishing with every MQTT 5 property from the page: a real client receives each of them, the"
            + " payload written as hex and the correlation data as base64")
    void publishEveryProperty() throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes received = device.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            device.subscribeWith().topicFilter("console/every/#").qos(MqttQos.EXACTLY_ONCE).send();
            browser.type("[data-role='pub-content-type']", "application/octet-stream");
            browser.choose("[data-role='pub-pfi']", "0");
            browser.type("[data-role='pub-response-topic']", "console/every/replies");
            browser.type("[data-role='pub-correlation']", "AQIDBA==");
            browser.choose("[data-role='pub-correlation-format']", "base64");
            browser.type("[data-role='pub-expiry']", "300");
            browser.find("[data-role='pub-retain']").click();
            page.publish("console/every/one", 2, "de ad be ef 00", "hex", List.of(Map.entry("k", "v")));
            assertThat(browser.role("publish-result").getText()).startsWith("PUBREC 0x00 Success");

            Mqtt5Publish got = received.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(got.getPayloadAsBytes()).containsExactly(0xde, 0xad, 0xbe, 0xef, 0x00);
            assertThat(got.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(got.getContentType().map(Object::toString)).hasValue("application/octet-stream");
            assertThat(got.getPayloadFormatIndicator()).hasValue(Mqtt5PayloadFormatIndicator.UNSPECIFIED);
            assertThat(got.getResponseTopic().map(Object::toString)).hasValue("console/every/replies");
            assertThat(got.getCorrelationData().map(b -> {
                byte[] a = new byte[b.remaining()];
                b.get(a);
                return a;
            }).orElseThrow()).containsExactly(1, 2, 3, 4);
            assertThat(got.getMessageExpiryInterval().orElseThrow()).isBetween(290L, 300L);
            assertThat(got.getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                    .containsExactly("k=v");
        } finally {
            device.publishWith().topic("console/every/one").retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
        }
        assertThat(broker.broker().retained().get("console/every/one")).isNull();
    }

    @Test
    @DisplayName("What the publish form cannot send is said, and nothing is sent: hex that is not hex, JSON that"
            + " is not JSON")
    void badInput() {
        page.publish("console/bad/x", 0, "0xZZ", "hex", List.of());
        assertThat(browser.role("publish-result").getText()).startsWith("not hex");
        page.publish("console/bad/x", 0, "{\"open\": tru", "json", List.of());
        assertThat(browser.role("publish-result").getText()).startsWith("not valid JSON");
    }

    @Test
    @DisplayName("A binary payload is shown as hex, in the log and in the payload viewer")
    void binaryPayloadAsHex() {
        page.subscribe("console/bin/#");
        device.publishWith().topic("console/bin/frame").qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {0x00, (byte) 0xff, 0x10, (byte) 0x80, 0x7f, 0x01}).send();

        WebElement entry = page.awaitMessage("console/bin/frame", "00 ff 10 80 7f 01");
        assertThat(entry.findElement(By.cssSelector("[data-role='preview']")).getAttribute("data-format")).isEqualTo("hex");
        entry.findElement(By.cssSelector(".head")).click();
        WebElement viewer = browser.find(entry, ".viewer");
        assertThat(viewer.getAttribute("data-format")).isEqualTo("hex");
        assertThat(viewer.findElement(By.cssSelector("[data-role='payload']")).getText())
                .startsWith("00000000  00 ff 10 80 7f 01");
        viewer.findElement(By.cssSelector("[data-format='base64']")).click();
        assertThat(browser.find(entry, ".viewer[data-format='base64'] [data-role='payload']").getText()).isEqualTo("AP8QgH8B");
    }

    @Test
    @DisplayName("A large payload is cut in the log, and shown whole on asking, the viewer's first 64 KiB first")
    void largePayload() {
        page.subscribe("console/large/#");
        String big = "0123456789abcdef".repeat(200 * 1024 / 16); // 200 KiB of text
        device.publishWith().topic("console/large/blob").qos(MqttQos.AT_LEAST_ONCE).payload(big.getBytes(UTF_8)).send();

        WebElement entry = page.awaitMessage("console/large/blob", "0123456789abcdef");
        WebElement preview = entry.findElement(By.cssSelector("[data-role='preview']"));
        assertThat(preview.getText()).startsWith(big.substring(0, 160) + " … show all 200 KiB");
        preview.findElement(By.cssSelector("[data-role='show-all']")).click();
        WebElement payload = browser.find(entry, ".viewer [data-role='payload']");
        assertThat(browser.script("return arguments[0].textContent.length", payload)).isEqualTo(64L * 1024);
        browser.find(entry, ".viewer .note button").click();
        browser.await(d -> ((Number) browser.script("return arguments[0].textContent.length",
                browser.find(entry, ".viewer [data-role='payload']"))).longValue() == big.length());
    }

    @Test
    @DisplayName("A log keeps the last 500 messages, newest first")
    void logIsCapped() {
        page.subscribe("console/many/#");
        for (int i = 1; i <= 520; i++) {
            device.publishWith().topic("console/many/n").qos(MqttQos.AT_LEAST_ONCE).payload(("n" + i).getBytes(UTF_8)).send();
        }
        page.awaitMessage("console/many/n", "n520");
        browser.await(d -> "n520".equals(page.messages().get(0).findElement(By.cssSelector("[data-role='preview']")).getText()));
        assertThat(page.messages()).hasSize(LOG_SIZE);
        assertThat(page.messages().get(LOG_SIZE - 1).findElement(By.cssSelector("[data-role='preview']")).getText())
                .isEqualTo("n21");
        assertThat(browser.find(TestClientPage.subscription("console/many/#") + " [data-role='count']").getText())
                .isEqualTo("500");
    }

    @Test
    @DisplayName("Every MQTT 5 property of a received message is shown: user properties, response topic,"
            + " correlation data, content type, payload format, message expiry, QoS; JSON shown pretty")
    void everyProperty() {
        page.subscribe("console/props/#");
        device.publishWith().topic("console/props/door-7").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"open\":true,\"battery\":87}".getBytes(UTF_8))
                .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .responseTopic("console/replies/door-7").correlationData("corr-42".getBytes(UTF_8))
                .messageExpiryInterval(3600)
                .userProperties().add(Mqtt5UserProperty.of("who", "alice")).applyUserProperties()
                .send();

        WebElement entry = page.awaitMessage("console/props/door-7", "battery");
        assertThat(entry.findElement(By.cssSelector("[data-role='user-property']")).getText()).isEqualTo("who=alice");
        assertThat(entry.findElement(By.cssSelector("[data-role='response-topic']")).getText())
                .contains("console/replies/door-7");
        assertThat(entry.findElement(By.cssSelector("[data-role='correlation-data']")).getText()).contains("\"corr-42\"");
        assertThat(entry.findElement(By.cssSelector("[data-role='qos']")).getText()).isEqualTo("QoS 1");

        entry.findElement(By.cssSelector(".head")).click();
        WebElement details = browser.find(entry, ".details");
        String kv = details.findElement(By.cssSelector("dl.kv")).getText();
        assertThat(kv).contains("Content type\napplication/json", "Payload format\n1 (UTF-8 text)",
                "Response topic\nconsole/replies/door-7", "Correlation data\n\"corr-42\"", "User property who\nalice");
        assertThat(kv).containsPattern("Message expiry\\n(3600|359\\d) s");
        assertThat(details.findElement(By.cssSelector(".viewer")).getAttribute("data-format")).isEqualTo("json");
        assertThat(details.findElement(By.cssSelector("[data-role='payload']")).getText())
                .isEqualTo("{\n  \"open\": true,\n  \"battery\": 87\n}");
    }

    @Test
    @DisplayName("When the broker drops the page's connection, the page connects again with a fresh credential"
            + " and subscribes again")
    void reconnectsWithAFreshCredential() throws Exception {
        page.subscribe("console/again/#");
        String first = browser.role("mqtt-client-id").getText();
        assertThat(broker.broker().sessions().get(first)).isNotNull();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> kicked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + broker.broker().httpPort() + "/api/v1/clients/" + first + "/disconnect"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(kicked.statusCode()).as(kicked.body()).isEqualTo(204);

        String second = browser.await(d -> {
            String now = browser.textOf("[data-role='mqtt-state'][data-state='connected'] + [data-role='mqtt-client-id']")
                    .orElse("");
            return !now.isEmpty() && !now.equals(first) ? now : null;
        });
        assertThat(browser.role("mqtt-events").getText()).contains("the broker sent DISCONNECT 0x98 Administrative action");
        browser.find(TestClientPage.subscription("console/again/#") + "[data-state='active']");
        device.publishWith().topic("console/again/x").qos(MqttQos.AT_LEAST_ONCE).payload("after".getBytes(UTF_8)).send();
        page.awaitMessage("console/again/x", "after");
        assertThat(broker.broker().sessions().get(second)).isNotNull();
    }

    @Test
    @DisplayName("Leaving the page ends its MQTT connection at once, even when the browser keeps the page in its"
            + " back/forward cache; coming back connects again")
    void leavingThePageDisconnects() {
        String id = browser.role("mqtt-client-id").getText();
        browser.driver().get("about:blank");
        browser.await(d -> broker.broker().sessions().get(id) == null);
        browser.driver().navigate().back();
        page.awaitConnected();
        String again = browser.role("mqtt-client-id").getText();
        assertThat(again).isNotEqualTo(id);
        assertThat(broker.broker().sessions().get(again)).isNotNull();
    }

    @Test
    @DisplayName("Screenshot: the test client with two subscriptions and messages of every kind, one opened")
    void screenshot() {
        page.subscribe("devices/+/telemetry", false, false, 0, 7);
        page.subscribe("devices/door-7/#");
        device.publishWith().topic("devices/door-7/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"temperature\":21.5,\"humidity\":40,\"door\":\"closed\"}".getBytes(UTF_8))
                .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .messageExpiryInterval(600)
                .userProperties().add("site", "berlin-3").add("firmware", "2.4.1").applyUserProperties().send();
        device.publishWith().topic("devices/door-7/frame").qos(MqttQos.AT_MOST_ONCE)
                .payload(new byte[] {0x02, 0x11, (byte) 0xa0, 0x00, 0x3c, (byte) 0xff, 0x7e, 0x10, 0x42, 0x00}).send();
        device.publishWith().topic("devices/door-7/unlock").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"user\":\"alice\"}".getBytes(UTF_8)).responseTopic("$reply/backend-1/42")
                .correlationData(new byte[] {0x1f, 0x2e, 0x3d, 0x4c}).send();
        page.publish("devices/door-7/log", 1, "door opened by alice at the front desk", "text",
                List.of(Map.entry("source", "console")));
        page.awaitMessage("devices/door-7/log", "door opened");
        page.show("devices/+/telemetry");
        WebElement telemetry = page.awaitMessage("devices/door-7/telemetry", "temperature");
        page.show("devices/door-7/#");
        page.awaitMessage("devices/door-7/unlock", "alice");
        page.messages().stream().filter(e -> "devices/door-7/telemetry".equals(e.getAttribute("data-topic")))
                .findFirst().orElseThrow().findElement(By.cssSelector(".head")).click();
        browser.find("[data-role='log'] .details .viewer[data-format='json']");
        assertThat(telemetry).isNotNull();
        browser.screenshot("test-client");
    }

    @Test
    @DisplayName("Subscription options reach the broker: Retain As Published and a Subscription Identifier on a"
            + " retained message, No Local hiding the page's own message")
    void subscriptionOptions() {
        device.publishWith().topic("console/opts/state").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("retained state".getBytes(UTF_8)).send();
        page.subscribe("console/opts/#", false, true, 0, 42);
        WebElement retained = page.awaitMessage("console/opts/state", "retained state");
        assertThat(retained.findElement(By.cssSelector("[data-role='retain']")).getText()).isEqualTo("retained");
        assertThat(retained.findElement(By.cssSelector("[data-role='subscription-ids']")).getText()).isEqualTo("sub id 42");

        page.subscribe("console/nl/#", true, false, 0, null);
        page.publish("console/nl/x", 1, "mine", "text", List.of());
        device.publishWith().topic("console/nl/x").qos(MqttQos.AT_LEAST_ONCE).payload("theirs".getBytes(UTF_8)).send();
        page.awaitMessage("console/nl/x", "theirs");
        assertThat(page.messages()).extracting(e -> e.findElement(By.cssSelector("[data-role='preview']")).getText())
                .containsExactly("theirs");

        // Clean up the retained message for the other tests.
        device.publishWith().topic("console/opts/state").qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
    }
}
