package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.broker.config.ConfigException;
import io.switchboard.testkit.EmbeddedBroker;
import io.switchboard.testkit.TestPki;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The HTTP listener over TLS (http.tls): certificates made by TestPki, the JDK's HTTP client. */
class HttpsTest {
    static final TestPki PKI = TestPki.create();

    @Test
    void theListenerAnswersOverTlsOnly() {
        try (EmbeddedBroker b = EmbeddedBroker.fromYaml("http: {port: 0, tls: " + PKI.listenerTls("none") + "}")) {
            b.start();
            AdminHttp https = new AdminHttp("localhost", b.broker().httpPort(), PKI.clientContext(null));
            AdminHttp.Answer a = https.get("/health/ready");
            assertThat(a.status()).isEqualTo(200);
            assertThat(https.get("/api/v1/broker").json().get("version").asText()).isNotEmpty();
            // Plain HTTP gets no answer from a TLS listener.
            assertThatThrownBy(() -> new AdminHttp(b.broker().httpPort()).get("/health/live"))
                    .isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aMissingCertificateStopsTheStartNamingTheFile() {
        EmbeddedBroker b = EmbeddedBroker.fromYaml("http: {port: 0, tls: {certificate: /nonexistent.crt, key: "
                + PKI.server().key() + "}}");
        assertThatThrownBy(b::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.tls.certificate: file '/nonexistent.crt' does not exist or cannot be read");
    }
}
