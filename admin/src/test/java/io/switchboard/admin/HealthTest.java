package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.broker.config.HttpConfig;
import io.switchboard.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/live} and {@code /health/ready} as load balancers and Kubernetes use them: ready
 * only while every MQTT listener accepts and the storage is open; the answer names what is not.
 */
class HealthTest {
    @Test
    void readyWhileListenersAcceptAndStorageIsOpen() {
        try (EmbeddedBroker b = new EmbeddedBroker(c -> c.withHttp(HttpConfig.local().withPort(0))).durable()) {
            b.start();
            AdminHttp h = new AdminHttp(b.broker().httpPort());
            assertThat(h.get("/health/live").json().get("status").asText()).isEqualTo("UP");
            AdminHttp.Answer ready = h.get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("problems")).isEmpty();

            b.broker().storage().close(); // as when the disk goes away: the broker can no longer keep what it acknowledges
            AdminHttp.Answer down = h.get("/health/ready");
            assertThat(down.status()).isEqualTo(503);
            JsonNode body = down.json();
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(body.get("problems").get(0).asText()).isEqualTo("the storage is not open");
            assertThat(h.get("/health/live").status()).isEqualTo(200); // alive: restarting it is not the cure
        }
    }
}
