package io.switchboard.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.switchboard.testkit.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Clients page against the broker's admin API: searching, pages, a client's details, and an
 * administrator disconnecting a real MQTT client (HiveMQ MQTT Client), which gets the DISCONNECT.
 */
class ClientsConsoleTest {
    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml(Console.LOCAL);

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
    }

    private Mqtt5BlockingClient connect5(String id, long sessionExpiry) {
        Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(id).serverHost(broker.host()).serverPort(broker.port())
                .buildBlocking();
        c.connectWith().sessionExpiryInterval(sessionExpiry).send();
        clients.add(() -> {
            if (c.getState().isConnected()) {
                c.disconnectWith().sessionExpiryInterval(0).send();
            }
        });
        return c;
    }

    private void search(String clientIdPattern) {
        browser.type("[data-role='client-id']", clientIdPattern);
        browser.click("[data-role='search']");
    }

    /** The row of a client in the list, once it is there. */
    private WebElement row(String clientId) {
        return browser.await(d -> d.findElements(By.cssSelector("[data-role='clients'] tbody tr")).stream()
                .filter(r -> !r.findElements(By.cssSelector("a[data-client='" + clientId + "']")).isEmpty())
                .findFirst().orElse(null));
    }

    @Test
    @DisplayName("An administrator disconnects a client from the Clients page with a reason code and a reason"
            + " string: the client gets the DISCONNECT, the page shows it offline; deleting its session removes it")
    void kick() throws Exception {
        CompletableFuture<Mqtt5Disconnect> kicked = new CompletableFuture<>();
        Mqtt5BlockingClient victim = Mqtt5Client.builder().identifier("console-kick-me").serverHost(broker.host())
                .serverPort(broker.port())
                .addDisconnectedListener(ctx -> {
                    if (ctx.getCause() instanceof Mqtt5DisconnectException e) {
                        kicked.complete(e.getMqttMessage());
                    } else {
                        kicked.completeExceptionally(ctx.getCause());
                    }
                })
                .buildBlocking();
        victim.connectWith().sessionExpiryInterval(600).send();
        victim.subscribeWith().topicFilter("console/kick/#").qos(MqttQos.AT_LEAST_ONCE).send();
        connect5("console-kick-bystander", 0);

        browser.open(Console.url(broker, "#/clients"));
        search("console-kick-*");
        WebElement row = row("console-kick-me");
        assertThat(row.findElement(By.cssSelector("[data-role='state']")).getText()).isEqualTo("connected");
        row("console-kick-bystander");

        row.findElement(By.cssSelector("[data-role='disconnect']")).click();
        browser.choose("dialog [data-role='reason-code']", Integer.toString(0x98));
        browser.type("dialog [data-role='reason-string']", "maintenance window");
        browser.click("dialog [data-role='confirm']");

        Mqtt5Disconnect disconnect = kicked.get(20, TimeUnit.SECONDS);
        assertThat(disconnect.getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
        assertThat(disconnect.getReasonString().map(Object::toString)).hasValue("maintenance window");
        assertThat(victim.getState().isConnected()).isFalse();

        browser.await(d -> "offline".equals(row("console-kick-me").findElement(By.cssSelector("[data-role='state']")).getText()));
        assertThat(row("console-kick-bystander").findElement(By.cssSelector("[data-role='state']")).getText())
                .isEqualTo("connected");
        assertThat(browser.all("[data-role='clients'] tr a[data-client='console-kick-me']")).hasSize(1);

        // The session outlived the connection (expiry 600 s); deleting it removes the client.
        row("console-kick-me").findElement(By.cssSelector("[data-role='delete-session']")).click();
        browser.click("dialog [data-role='confirm']");
        browser.await(d -> d.findElements(By.cssSelector("[data-role='clients'] a[data-client='console-kick-me']")).isEmpty());
        assertThat(broker.broker().sessions().get("console-kick-me")).isNull();
    }

    @Test
    @DisplayName("A client id with markup and path characters is shown as text, and its details page finds it")
    void hostileClientId() {
        String id = "<img src=x onerror=\"document.title='owned'\">/a?b#c%20";
        connect5(id, 0).subscribeWith().topicFilter("<b>bold</b>/#").qos(MqttQos.AT_LEAST_ONCE).send();
        browser.open(Console.url(broker, "#/clients"));
        search("<img*");
        browser.awaitText("[data-role='page-info']", "1–1 of 1");
        WebElement link = browser.find("[data-role='clients'] tbody a");
        assertThat(link.getText()).isEqualTo(id);
        assertThat(browser.all("main img")).isEmpty();
        link.click();
        browser.awaitText("[data-role='client-details'] [data-role='state']", "connected");
        assertThat(browser.find("main h1").getText()).isEqualTo(id);
        assertThat(browser.find("[data-role='client-subscriptions'] [data-role='filter']").getText()).isEqualTo("<b>bold</b>/#");
        assertThat(browser.all("main img, main b")).isEmpty();
        assertThat(browser.driver().getTitle()).doesNotContain("owned");
    }

    @Test
    @DisplayName("Cancelling the confirmation leaves the client connected")
    void cancelKeepsTheClient() {
        Mqtt5BlockingClient c = connect5("console-cancel", 0);
        browser.open(Console.url(broker, "#/clients"));
        search("console-cancel");
        row("console-cancel").findElement(By.cssSelector("[data-role='disconnect']")).click();
        browser.click("dialog [data-role='cancel']");
        browser.await(d -> d.findElements(By.cssSelector("dialog")).isEmpty());
        assertThat(c.getState().isConnected()).isTrue();
    }

    @Test
    @DisplayName("The search filters by client id pattern, state and protocol, and pages follow the next cursor")
    void searchAndPages() {
        for (int i = 0; i < 55; i++) {
            Mqtt5BlockingClient c = Mqtt5Client.builder().identifier(String.format("console-page-%02d", i))
                    .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
            c.connectWith().sessionExpiryInterval(600).send();
            c.disconnect();
        }
        connect5("console-page-live", 0);
        Mqtt3BlockingClient old = Mqtt3Client.builder().identifier("console-page-311").serverHost(broker.host())
                .serverPort(broker.port()).buildBlocking();
        old.connect();
        clients.add(old::disconnect);

        browser.open(Console.url(broker, "#/clients"));
        search("console-page-*");
        browser.awaitText("[data-role='page-info']", "1–50 of 57");
        browser.click("[data-role='next']");
        browser.awaitText("[data-role='page-info']", "51–57 of 57");
        assertThat(browser.find("[data-role='next']").isEnabled()).isFalse();
        row("console-page-live");
        browser.click("[data-role='previous']");
        browser.awaitText("[data-role='page-info']", "1–50 of 57");

        browser.choose("[data-role='connected']", "true");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='page-info']", "1–2 of 2");
        browser.choose("[data-role='protocol']", "4");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='page-info']", "1–1 of 1");
        assertThat(row("console-page-311").getText()).contains("3.1.1", "connected");

        search("console-page-0?");
        browser.choose("[data-role='connected']", "");
        browser.choose("[data-role='protocol']", "");
        browser.click("[data-role='search']");
        browser.awaitText("[data-role='page-info']", "1–10 of 10");
    }
}
