package io.switchboard.admin.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.switchboard.security.PasswordHash;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Signing in and out of the console, and what each role sees: the broker's HTTP listener with two
 * users, alice (admin) and victor (read-only).
 */
class SignInConsoleTest {
    static final String ALICE_PASSWORD = "alice s3cret";
    static final String VICTOR_PASSWORD = "victor s3cret";
    static final String TOKEN_KEY = "switchboard.console.token";

    @RegisterExtension
    static EmbeddedBroker broker = EmbeddedBroker.fromYaml("""
            listeners:
              - {name: default, port: 0}
              - {name: ws, type: ws, port: 0}
            http:
              port: 0
              users:
                - {name: alice, role: admin, passwordHash: '%s'}
                - {name: victor, role: read-only, passwordHash: '%s'}
            """.formatted(PasswordHash.pbkdf2(ALICE_PASSWORD.getBytes(UTF_8), 1000),
            PasswordHash.pbkdf2(VICTOR_PASSWORD.getBytes(UTF_8), 1000)));

    @RegisterExtension
    static ConsoleBrowser browser = new ConsoleBrowser();

    static Mqtt5BlockingClient device;

    @BeforeAll
    static void device() {
        device = Mqtt5Client.builder().identifier("console-signin-device").serverHost(broker.host())
                .serverPort(broker.port()).buildBlocking();
        device.connect();
        device.publishWith().topic("console/signin/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("on".getBytes(UTF_8)).send();
    }

    @AfterAll
    static void closeDevice() {
        device.disconnect();
    }

    @BeforeEach
    void signedOut() {
        browser.open(Console.url(broker, ""));
        browser.script("sessionStorage.clear()");
    }

    private void signIn(String user, String password) {
        browser.role("username").clear();
        browser.role("username").sendKeys(user);
        browser.role("password").clear();
        browser.role("password").sendKeys(password);
        browser.click("[data-role='sign-in']");
    }

    private String token() {
        return (String) browser.script("return sessionStorage.getItem(arguments[0])", TOKEN_KEY);
    }

    private static int status(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.broker().httpPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int post(String path, String token) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.broker().httpPort() + path))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    @DisplayName("The broker's address leads to the console, which asks to sign in; a wrong password is refused;"
            + " signing in shows the overview; signing out ends the session on the broker too")
    void signInAndOut() throws Exception {
        browser.open("http://127.0.0.1:" + broker.broker().httpPort() + "/");
        browser.role("sign-in");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/console/");
        assertThat(browser.all("#nav a")).as("no pages before signing in").isEmpty();

        signIn("alice", "not her password");
        browser.awaitText("[data-role='sign-in-error']", "Wrong user name or password.");
        assertThat(token()).isNull();

        signIn("alice", ALICE_PASSWORD);
        browser.find("main[data-page='overview']");
        browser.awaitText("[data-role='user']", "alice");
        assertThat(browser.role("role").getText()).isEqualTo("admin");
        browser.find("[data-tile='Retained']");
        String token = token();
        assertThat(token).isNotBlank();
        assertThat(status("/api/v1/broker", token)).isEqualTo(200);

        browser.click("[data-role='sign-out']");
        browser.role("sign-in");
        assertThat(token()).isNull();
        assertThat(status("/api/v1/broker", token)).as("the token ended on the broker").isEqualTo(401);
    }

    @Test
    @DisplayName("After signing in, the page asked for is shown")
    void keepsThePageAskedFor() {
        browser.open(Console.url(broker, "#/retained"));
        signIn("alice", ALICE_PASSWORD);
        browser.find("main[data-page='retained']");
        browser.find("[data-role='retained'] [data-topic='console/signin/state']");
    }

    @Test
    @DisplayName("A read-only user sees every page but no action: no disconnect, no session or retained deletion;"
            + " the test client connects with a credential minted for them")
    void readOnlySeesNoActions() {
        browser.open(Console.url(broker, "#/clients"));
        signIn("victor", VICTOR_PASSWORD);
        browser.awaitText("[data-role='role']", "read-only");
        browser.find("[data-role='clients'] a[data-client='console-signin-device']");
        assertThat(browser.all("[data-role='disconnect'], [data-role='delete-session']")).isEmpty();

        browser.click("[data-role='clients'] a[data-client='console-signin-device']");
        browser.awaitText("[data-role='client-details'] [data-role='state']", "connected");
        browser.role("refresh");
        assertThat(browser.all("[data-role='disconnect'], [data-role='delete-session']")).isEmpty();

        browser.click("#nav a[data-page='retained']");
        browser.click("[data-role='retained'] [data-topic='console/signin/state']");
        browser.role("retained-message");
        assertThat(browser.all("[data-role='delete-retained']")).isEmpty();

        browser.click("#nav a[data-page='test-client']");
        browser.find("[data-role='mqtt-state'][data-state='connected']");
        assertThat(browser.role("mqtt-client-id").getText()).startsWith("console-victor-");
    }

    @Test
    @DisplayName("A session that ended on the broker sends the console back to sign-in, saying so")
    void endedSession() throws Exception {
        browser.open(Console.url(broker, "#/clients"));
        signIn("alice", ALICE_PASSWORD);
        browser.find("[data-role='clients'] a[data-client='console-signin-device']");
        assertThat(post("/api/v1/logout", token())).isEqualTo(204);

        browser.click("[data-role='refresh']");
        browser.awaitText("[data-role='sign-in-error']", "Your session ended: sign in again.");
        assertThat(token()).isNull();
        signIn("alice", ALICE_PASSWORD);
        browser.find("main[data-page='clients'] [data-role='clients'] a[data-client='console-signin-device']");
        assertThat(browser.all("#nav a")).extracting(e -> e.getAttribute("data-page")).containsExactly("overview",
                "clients", "subscriptions", "topics", "retained", "rules", "test-client", "rpc");
        assertThat(browser.find("#nav a.on").findElement(By.xpath(".")).getAttribute("data-page")).isEqualTo("clients");
    }
}
