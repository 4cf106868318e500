package io.switchboard.admin.console;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The console's MQTT test client page, as a test uses it (page object). */
final class TestClientPage {
    private final ConsoleBrowser browser;

    TestClientPage(ConsoleBrowser browser) {
        this.browser = browser;
    }

    /** Opens the page and waits until its MQTT connection is up. */
    TestClientPage open(String url) {
        browser.open(url);
        awaitConnected();
        return this;
    }

    void awaitConnected() {
        browser.find("[data-role='mqtt-state'][data-state='connected']");
    }

    /** Subscribes with QoS 1 and no other option; waits for the SUBACK. */
    void subscribe(String filter) {
        subscribe(filter, false, false, 0, null);
    }

    /** Subscribes with these options; waits for the SUBACK. */
    void subscribe(String filter, boolean noLocal, boolean retainAsPublished, int retainHandling, Integer subscriptionId) {
        browser.type("[data-role='sub-filter']", filter);
        browser.choose("[data-role='sub-qos']", "1");
        setChecked("[data-role='sub-nl']", noLocal);
        setChecked("[data-role='sub-rap']", retainAsPublished);
        browser.choose("[data-role='sub-rh']", Integer.toString(retainHandling));
        browser.find("[data-role='sub-id']").clear();
        if (subscriptionId != null) {
            browser.type("[data-role='sub-id']", subscriptionId.toString());
        }
        browser.click("[data-role='subscribe']");
        browser.find(subscription(filter) + "[data-state='active']");
    }

    private void setChecked(String css, boolean on) {
        WebElement box = browser.find(css);
        if (box.isSelected() != on) {
            box.click();
        }
    }

    /** The selector of a subscription in the list. */
    static String subscription(String filter) {
        return "[data-role='subscriptions'] li[data-filter='" + filter + "']";
    }

    /** Shows the log of a subscription. */
    void show(String filter) {
        browser.click(subscription(filter) + " .filter");
        browser.awaitText("[data-role='log-filter']", filter);
    }

    /** Waits for a message on {@code topic} whose preview contains {@code text}; returns its log entry. */
    WebElement awaitMessage(String topic, String text) {
        return browser.await(d -> d.findElements(By.cssSelector("[data-role='log'] li[data-role='message']")).stream()
                .filter(e -> topic.equals(e.getAttribute("data-topic")))
                .filter(e -> e.findElement(By.cssSelector("[data-role='preview']")).getText().contains(text))
                .findFirst().orElse(null));
    }

    /** The log entries shown now, newest first. */
    List<WebElement> messages() {
        return browser.all("[data-role='log'] li[data-role='message']");
    }

    /** Fills the publish form: topic, QoS, payload in a format, user properties; then publishes. */
    void publish(String topic, int qos, String payload, String format, List<Map.Entry<String, String>> userProperties) {
        browser.type("[data-role='pub-topic']", topic);
        browser.choose("[data-role='pub-qos']", Integer.toString(qos));
        browser.choose("[data-role='pub-payload-format']", format);
        browser.type("[data-role='pub-payload']", payload);
        for (WebElement remove : browser.all("[data-role='pub-user-properties'] .pair button")) {
            remove.click();
        }
        for (Map.Entry<String, String> p : userProperties) {
            browser.click("[data-role='pub-user-properties'] + [data-role='add-user-property']");
            List<WebElement> names = browser.all("[data-role='pub-user-properties'] [data-role='up-name']");
            List<WebElement> values = browser.all("[data-role='pub-user-properties'] [data-role='up-value']");
            names.get(names.size() - 1).sendKeys(p.getKey());
            values.get(values.size() - 1).sendKeys(p.getValue());
        }
        String before = browser.textOf("[data-role='publish-result']").orElse("");
        browser.click("[data-role='publish']");
        browser.await(d -> {
            String now = browser.textOf("[data-role='publish-result']").orElse("");
            return !now.isEmpty() && !now.equals(before) ? now : null;
        });
    }
}
