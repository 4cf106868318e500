package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Overview, Subscriptions, Topics and Retained pages against the broker's admin API. */
class PagesConsoleTest {
    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(Console.LOCAL);

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    static Mqtt5BlockingClient door;
    static Mqtt5BlockingClient backend;

    @BeforeAll
    static void clients() {
        door = Mqtt5Client.builder().identifier("pages-door-7").serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        door.connect();
        door.subscribeWith().topicFilter("devices/door-7/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
        backend = Mqtt5Client.builder().identifier("pages-backend").serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        backend.connect();
        backend.subscribeWith()
                .addSubscription().topicFilter("devices/+/state").qos(MqttQos.AT_LEAST_ONCE).noLocal(true)
                .retainAsPublished(true).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).applySubscription()
                .addSubscription().topicFilter("devices/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter("devices/+/telemetry").qos(MqttQos.EXACTLY_ONCE).applySubscription()
                .send();
        door.subscribeWith().topicFilter("devices/+/state").qos(MqttQos.AT_MOST_ONCE).send();
    }

    @AfterAll
    static void close() {
        door.disconnect();
        backend.disconnect();
    }

    @Test
    @DisplayName("Overview: the broker, its listeners, the counters, and charts drawn from the statistics polled"
            + " every 2 s (rates once there are two samples)")
    void overview() {
        browser.open(Console.url(broker, "#/overview"));
        WebElement info = browser.find("[data-role='broker']");
        browser.awaitText("[data-role='broker']", "Uptime");
        assertThat(info.getText()).contains("Storage", "Java");
        assertThat(browser.find("main").getText()).contains("ws", "tcp");
        browser.awaitText("[data-tile='Connections']", "2");
        assertThat(browser.find("[data-tile='Subscriptions']").getText()).isEqualTo("5");

        int samples = Integer.parseInt(browser.role("stats-status").getAttribute("data-samples"));
        for (int i = 0; i < 20; i++) {
            door.publishWith().topic("devices/door-7/telemetry").payload(("{\"n\":" + i + "}").getBytes(UTF_8)).send();
        }
        browser.await(d -> Integer.parseInt(browser.role("stats-status").getAttribute("data-samples")) >= samples + 2);
        assertThat(browser.find("b[data-series='in']").getText()).matches("[0-9.,]+");
        assertThat(browser.find("b[data-series='connected']").getText()).isEqualTo("2");
        assertThat(browser.all(".chart path.line")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName("Subscriptions: every client's, with their options, searched by client id pattern and by filter")
    void subscriptions() {
        browser.open(Console.url(broker, "#/subscriptions"));
        browser.awaitText("[data-role='page-info']", "of 5");
        browser.type("[data-role='client-id']", "pages-back*");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='page-info']", "1–3 of 3");
        List<String> rows = browser.all("[data-role='subscriptions'] tbody tr").stream().map(WebElement::getText).toList();
        // The HiveMQ client gives its SUBSCRIBE a Subscription Identifier of its own choosing (the last column).
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).matches("pages-backend devices/# 0 no no 0 send \\S+");
        assertThat(rows.get(1)).matches("pages-backend devices/\\+/state 1 yes yes 2 never \\S+");
        assertThat(rows.get(2)).matches("pages-backend devices/\\+/telemetry 2 no no 0 send \\S+");

        browser.type("[data-role='client-id']", "");
        browser.type("[data-role='filter']", "devices/+/state");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='page-info']", "1–2 of 2");
    }

    @Test
    @DisplayName("Topics: every filter with its subscriber count, and who receives a topic; a filter leads to its"
            + " subscriptions")
    void topics() {
        browser.open(Console.url(broker, "#/topics"));
        browser.awaitText("[data-role='page-info']", "of 4");
        browser.type("[data-role='matching']", "devices/door-7/state");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='matching-answer']", "2 filters match 'devices/door-7/state'");
        assertThat(browser.all("[data-role='topics'] tbody tr").stream().map(WebElement::getText).toList())
                .containsExactly("devices/# 1", "devices/+/state 2");

        browser.click("[data-role='topics'] a[href*='state']");
        browser.find("main[data-page='subscriptions']");
        browser.awaitText("[data-role='page-info']", "1–2 of 2");
        assertThat(browser.find("[data-role='filter']").getAttribute("value")).isEqualTo("devices/+/state");
    }

    @Test
    @DisplayName("Retained messages: listed by filter, one shown with its properties and payload (JSON pretty,"
            + " binary as hex), deleted after confirmation")
    void retained() {
        door.publishWith().topic("devices/door-7/config").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"mode\":\"auto\",\"openSeconds\":5}".getBytes(UTF_8)).contentType("application/json")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .userProperties().add("version", "12").applyUserProperties().send();
        door.publishWith().topic("devices/door-7/firmware").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {(byte) 0xca, (byte) 0xfe, 0x00, 0x01}).send();
        door.publishWith().topic("other/thing").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("x".getBytes(UTF_8)).send();

        browser.open(Console.url(broker, "#/retained"));
        browser.awaitText("[data-role='page-info']", "1–3 of 3");
        browser.type("[data-role='filter']", "devices/#");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='page-info']", "1–2 of 2");

        browser.click("[data-role='retained'] [data-topic='devices/door-7/config']");
        WebElement m = browser.role("retained-message");
        browser.awaitText("[data-role='retained-message'] [data-role='payload']", "\"openSeconds\": 5");
        assertThat(m.findElement(By.cssSelector("dl.kv")).getText()).contains("QoS\n1", "Content type\napplication/json",
                "Payload format\n1 (UTF-8 text)", "User property version\n12");

        browser.click("[data-role='retained'] [data-topic='devices/door-7/firmware']");
        browser.awaitText("[data-role='retained-message'] h2", "devices/door-7/firmware");
        assertThat(browser.find("[data-role='retained-message'] .viewer").getAttribute("data-format")).isEqualTo("hex");
        assertThat(browser.find("[data-role='retained-message'] [data-role='payload']").getText())
                .startsWith("00000000  ca fe 00 01");

        browser.click("[data-role='delete-retained']");
        browser.click("dialog [data-role='confirm']");
        browser.awaitText("[data-role='page-info']", "1–1 of 1");
        assertThat(browser.all("[data-role='retained'] [data-topic='devices/door-7/firmware']")).isEmpty();
        assertThat(broker.broker().retained().get("devices/door-7/firmware")).isNull();
    }
}
