package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.MovableClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The RPC panel in a real Chromium: requests from the page's MQTT.js connection with a Response Topic
 * under its private reply prefix, answered by a responder of the RPC library, by nobody (the broker's
 * no-responders answer), or expired in an offline device's queue (the broker's expired answer; the
 * broker's clock is moved, nothing waits for time to pass).
 */
class RpcPanelConsoleTest {
    static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(Console.LOCAL).with(b -> b.clock(CLOCK));

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    static RpcClient responder;

    @BeforeAll
    static void start() {
        responder = RpcClient.builder().host(broker.host()).port(broker.port()).clientId("console-test-responder").connect();
        responder.serve("console/rpc/upper", request -> Response.of(request.payloadAsString().toUpperCase())
                .withContentType("text/plain").withUserProperty("served-by", "console-test-responder"));
        responder.serve("console/rpc/fail", request -> Response.error("door-jammed", "the bolt did not move"));
    }

    @AfterAll
    static void stop() {
        responder.close();
    }

    @BeforeEach
    void open() {
        browser.open(Console.url(broker, "#/rpc"));
        browser.await(d -> browser.role("rpc-send").isEnabled());
        assertThat(browser.role("reply-topic").getText()).matches("Replies come to \\$reply/console-local-[^/]+/console-rpc,.*");
    }

    /** Sends a request from the form; returns the panel of the call once it has an outcome other than waiting. */
    private WebElement call(String topic, String payload, int timeoutSeconds) {
        browser.type("[data-role='rpc-topic']", topic);
        browser.type("[data-role='rpc-payload']", payload);
        browser.type("[data-role='rpc-timeout']", Integer.toString(timeoutSeconds));
        int before = browser.all("[data-role='rpc-history'] tr[data-call]").size();
        browser.click("[data-role='rpc-send']");
        browser.await(d -> browser.all("[data-role='rpc-history'] tr[data-call]").size() > before);
        browser.await(d -> browser.all("[data-role='rpc-call'] [data-role='outcome']:not([data-outcome='waiting'])").size() == 1);
        return browser.role("rpc-call");
    }

    private String outcome() {
        return browser.find("[data-role='rpc-call'] [data-role='outcome']").getAttribute("data-outcome");
    }

    @Test
    @DisplayName("A call answered by a responder shows the reply matched by Correlation Data, with its latency")
    void answered() {
        call("console/rpc/upper", "hello from the console", 10);
        assertThat(outcome()).isEqualTo("ok");
        assertThat(browser.find("[data-role='rpc-call'] [data-role='latency']").getText()).matches("\\d+(\\.\\d)? ms");
        WebElement reply = browser.find("[data-role='rpc-call'] [data-role='reply']");
        assertThat(reply.getText()).contains("HELLO FROM THE CONSOLE", "User property rpc-status\nok",
                "User property served-by\nconsole-test-responder", "Content type\ntext/plain");
        assertThat(browser.role("command-line").getText())
                .isEqualTo("switchboard rpc call console/rpc/upper 'hello from the console' --timeout 10s -q 1");
    }

    @Test
    @DisplayName("A responder's error reply shows its code and message")
    void responderError() {
        call("console/rpc/fail", "{}", 10);
        assertThat(outcome()).isEqualTo("error");
        assertThat(browser.role("outcome-text").getText()).isEqualTo("door-jammed: the bolt did not move");
    }

    @Test
    @DisplayName("A call nobody serves shows the broker's answer at once: rpc-status no-responders and its message")
    void noResponder() {
        call("console/rpc/nobody-home", "anyone?", 600);
        assertThat(outcome()).isEqualTo("no-responders");
        browser.awaitText("[data-role='outcome-text']",
                "The broker answered: no subscriber matched the request topic 'console/rpc/nobody-home'");
        assertThat(browser.find("[data-role='rpc-call'] [data-role='reply']").getText())
                .contains("User property rpc-status\nno-responders");
    }

    @Test
    @DisplayName("A request that expires in an offline device's queue shows the broker's answer: rpc-status expired;"
            + " the device never gets it")
    void expired() throws Exception {
        Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("console-test-door").serverHost(broker.host())
                .serverPort(broker.port()).buildBlocking();
        device.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        device.subscribeWith().topicFilter("console/rpc/door/unlock").qos(MqttQos.AT_LEAST_ONCE).send();
        device.disconnect();

        browser.type("[data-role='rpc-topic']", "console/rpc/door/unlock");
        browser.type("[data-role='rpc-payload']", "{\"user\":\"alice\"}");
        browser.type("[data-role='rpc-timeout']", "600");
        browser.click("[data-role='rpc-send']");
        browser.awaitText("[data-role='rpc-call'] dl.kv", "PUBACK 0x00 Success"); // queued for the device
        assertThat(outcome()).isEqualTo("waiting");

        CLOCK.advance(Duration.ofSeconds(601));
        try (Mqtt5BlockingClient.Mqtt5Publishes received = device.publishes(MqttGlobalPublishFilter.ALL)) {
            device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            browser.find("[data-role='rpc-call'] [data-role='outcome'][data-outcome='expired']");
            assertThat(browser.role("outcome-text").getText()).isEqualTo("The broker answered: the request to"
                    + " 'console/rpc/door/unlock' expired in a responder's queue before it was delivered");
            // The device's session is resumed and drained: what it gets now would have come first.
            device.publishWith().topic("console/rpc/door/unlock").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("marker".getBytes(UTF_8)).send();
            Optional<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> first = received.receive(20, TimeUnit.SECONDS);
            assertThat(first).isPresent();
            assertThat(new String(first.get().getPayloadAsBytes(), UTF_8)).isEqualTo("marker");
        } finally {
            device.disconnectWith().sessionExpiryInterval(0).send();
        }
    }

    @Test
    @DisplayName("Screenshot: the RPC panel after an answered call, a responder error and a call nobody serves")
    void screenshot() {
        browser.find("[data-role='rpc-user-properties'] + [data-role='add-user-property']").click();
        browser.find("[data-role='rpc-user-properties'] [data-role='up-name']").sendKeys("who");
        browser.find("[data-role='rpc-user-properties'] [data-role='up-value']").sendKeys("alice");
        call("console/rpc/nobody-home", "ping", 10);
        call("console/rpc/fail", "{\"open\":true}", 10);
        browser.choose("[data-role='rpc-payload-format']", "json");
        call("console/rpc/upper", "{\"door\":\"door-7\",\"action\":\"unlock\"}", 10);
        assertThat(outcome()).isEqualTo("ok");
        browser.screenshot("rpc");
    }
}
