package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import io.switchboard.testkit.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Screenshots of the console's pages for docs/console.md, over a small fleet: devices on MQTT 5 and
 * 3.1.1, a backend, an offline device with messages queued, retained configuration, and traffic for the
 * charts. {@code scripts/console-screenshots} runs this (with the test client's and the RPC panel's
 * screenshots) and copies target/console-screenshots/*.png into docs/console/. The assertions only
 * check that each page shows what the picture is for; the pictures themselves are looked at by people.
 */
class ScreenshotsConsoleTest {
    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(Console.LOCAL).durable();

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    static final List<Mqtt5BlockingClient> fleet = new ArrayList<>();
    static Mqtt3BlockingClient legacy;

    static Mqtt5BlockingClient connect(String id, long sessionExpiry) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        c.connectWith().sessionExpiryInterval(sessionExpiry).keepAlive(30).send();
        fleet.add(c);
        return c;
    }

    @BeforeAll
    static void fleet() {
        Mqtt5BlockingClient door = connect("door-7", 86_400);
        door.subscribeWith().topicFilter("devices/door-7/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
        door.subscribeWith().topicFilter("devices/door-7/config").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
        door.subscribeWith().topicFilter("$share/doors/fleet/doors/+/firmware").qos(MqttQos.AT_MOST_ONCE).send();
        Mqtt5BlockingClient thermostat = connect("thermostat-2", 3600);
        thermostat.subscribeWith().topicFilter("devices/thermostat-2/setpoint").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient backend = connect("backend-1", 0);
        backend.subscribeWith().topicFilter("devices/+/telemetry").qos(MqttQos.AT_MOST_ONCE).send();
        backend.subscribeWith().topicFilter("devices/+/state").qos(MqttQos.AT_LEAST_ONCE).send();
        connect("backend-2", 0).subscribeWith().topicFilter("devices/+/telemetry").qos(MqttQos.AT_MOST_ONCE).send();
        legacy = Mqtt3Client.builder().identifier("door-8-legacy").serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        legacy.connectWith().cleanSession(false).send();
        legacy.subscribeWith().topicFilter("devices/door-8/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();

        // An offline meter whose session holds three messages for it.
        Mqtt5BlockingClient meter = Mqtt5Client.builder().identifier("meter-12").serverHost(broker.host())
                .serverPort(broker.port()).buildBlocking();
        meter.connectWith().sessionExpiryInterval(86_400).send();
        meter.subscribeWith().topicFilter("devices/meter-12/commands/#").qos(MqttQos.AT_LEAST_ONCE).send();
        meter.disconnect();
        for (String cmd : new String[] {"read", "calibrate", "report"}) {
            backend.publishWith().topic("devices/meter-12/commands/" + cmd).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{}".getBytes(UTF_8)).send();
        }

        door.publishWith().topic("devices/door-7/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"open\":false,\"battery\":87}".getBytes(UTF_8)).contentType("application/json")
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .userProperties().add("firmware", "2.4.1").applyUserProperties().send();
        backend.publishWith().topic("devices/door-7/config").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"mode\":\"auto\",\"openSeconds\":5,\"schedule\":{\"weekdays\":\"07:00-19:00\",\"weekend\":\"closed\"}}"
                        .getBytes(UTF_8))
                .contentType("application/json").payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                .messageExpiryInterval(30 * 86_400L)
                .userProperties().add("version", "12").add("changed-by", "alice").applyUserProperties().send();
        backend.publishWith().topic("fleet/doors/door-7/firmware").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                        0x00, 0x00, 0x03, 0x00, 0x3e, 0x00, 0x01, 0x00, 0x00, 0x00}).send();
        thermostat.publishWith().topic("devices/thermostat-2/setpoint").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("21.5".getBytes(UTF_8)).contentType("text/plain").send();
        thermostat.publishWith().topic("site/berlin-3/info").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("Berlin site 3, building B, floors 1-4".getBytes(UTF_8)).send();
    }

    @AfterAll
    static void close() {
        for (Mqtt5BlockingClient c : fleet) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        legacy.disconnect();
    }

    @Test
    @DisplayName("Screenshot: the overview with some minutes of traffic drawn")
    void overview() {
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger tick = new AtomicInteger();
        Mqtt5BlockingClient door = fleet.get(0);
        try {
            // A rate that changes with time, so that the chart has a shape.
            traffic.scheduleAtFixedRate(() -> {
                int t = tick.incrementAndGet();
                int burst = 1 + (int) (6 * (1 + Math.sin(t / 40.0)));
                for (int i = 0; i < burst; i++) {
                    door.publishWith().topic("devices/door-7/telemetry").qos(MqttQos.AT_MOST_ONCE)
                            .payload(("{\"t\":" + t + "}").getBytes(UTF_8)).send();
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            browser.open(Console.url(broker, "#/overview"));
            browser.awaitText("[data-role='broker']", "Uptime");
            // Twelve samples, polled every 2 s: the charts show a shape.
            browser.await(Duration.ofSeconds(60),
                    d -> Integer.parseInt(browser.role("stats-status").getAttribute("data-samples")) >= 12);
            assertThat(browser.find("[data-tile='Connections']").getText()).isEqualTo("5");
            browser.screenshot("overview");
        } finally {
            traffic.shutdownNow();
        }
    }

    @Test
    @DisplayName("Screenshot: the clients, connected and offline")
    void clients() {
        browser.open(Console.url(broker, "#/clients"));
        browser.awaitText("[data-role='page-info']", "1–6 of 6");
        browser.screenshot("clients");
    }

    @Test
    @DisplayName("Screenshot: one client's connection, session and subscriptions")
    void clientDetails() {
        browser.open(Console.url(broker, "#/clients/door-7"));
        browser.awaitText("[data-role='client-details'] [data-role='state']", "connected");
        assertThat(browser.all("[data-role='client-subscriptions'] tbody tr")).hasSize(3);
        browser.screenshot("client-details");
    }

    @Test
    @DisplayName("Screenshot: the retained messages, one opened")
    void retained() {
        browser.open(Console.url(broker, "#/retained"));
        browser.awaitText("[data-role='page-info']", "1–5 of 5");
        browser.click("[data-role='retained'] [data-topic='devices/door-7/config']");
        browser.awaitText("[data-role='retained-message'] [data-role='payload']", "\"openSeconds\": 5");
        browser.screenshot("retained");
    }
}
