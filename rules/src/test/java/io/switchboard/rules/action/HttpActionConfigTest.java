package io.switchboard.rules.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http action's configuration: defaults, ranges and templates, refused with the key and what is allowed. */
class HttpActionConfigTest {
    @Test
    void defaults() {
        HttpActionConfig c = HttpActionConfig.of("https://ingest.example/${topic(2)}");
        assertThat(c.headers()).isEmpty();
        assertThat(c.timeoutMillis()).isEqualTo(5000);
        assertThat(c.retries()).isEqualTo(3);
        assertThat(c.backoffMillis()).isEqualTo(200);
        assertThat(c.queueSize()).isEqualTo(1000);
        assertThat(c.concurrency()).isEqualTo(4);
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheKeyAndTheRange() {
        String url = "http://x.example/";
        assertThatThrownBy(() -> new HttpActionConfig(url, null, 99, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value '99' for 'http.timeoutMillis': allowed 100..60000");
        assertThatThrownBy(() -> new HttpActionConfig(url, null, null, 11, null, null, null))
                .hasMessage("invalid value '11' for 'http.retries': allowed 0..10");
        assertThatThrownBy(() -> new HttpActionConfig(url, null, null, null, 5, null, null))
                .hasMessage("invalid value '5' for 'http.backoffMillis': allowed 10..60000");
        assertThatThrownBy(() -> new HttpActionConfig(url, null, null, null, null, 0, null))
                .hasMessage("invalid value '0' for 'http.queueSize': allowed 1..100000");
        assertThatThrownBy(() -> new HttpActionConfig(url, null, null, null, null, null, 65))
                .hasMessage("invalid value '65' for 'http.concurrency': allowed 1..64");
    }

    @Test
    void theUrlIsRequiredAndAConstantOneIsCheckedAtOnce() {
        assertThatThrownBy(() -> HttpActionConfig.of(" "))
                .hasMessageStartingWith("missing 'http.url': the endpoint's URL, http or https");
        assertThatThrownBy(() -> HttpActionConfig.of("ftp://files.example/drop"))
                .hasMessage("invalid value 'ftp://files.example/drop' for 'http.url': it is not http or https"
                        + " (the URL must be http or https with a host)");
        assertThatThrownBy(() -> HttpActionConfig.of("http:///x"))
                .hasMessageContaining("it has no host");
        // with a substitution the scheme is known only per message
        assertThat(HttpActionConfig.of("${url}").url()).isEqualTo("${url}");
    }

    @Test
    void templatesAreRefusedWithTheirPosition() {
        assertThatThrownBy(() -> HttpActionConfig.of("http://x.example/${topic(2)"))
                .hasMessage("invalid template 'http://x.example/${topic(2)' for 'http.url': line 1, column 18:"
                        + " the substitution ${ is not closed (end it with })");
        assertThatThrownBy(() -> new HttpActionConfig("http://x.example/", Map.of("X-Site", "${sitee(1)}"), null,
                null, null, null, null))
                .hasMessageStartingWith("invalid template '${sitee(1)}' for 'http.headers.X-Site': line 1, column 3:"
                        + " unknown function 'sitee'");
    }

    @Test
    void headerNamesAreChecked() {
        assertThatThrownBy(() -> new HttpActionConfig("http://x.example/", Map.of("Host", "y.example"), null, null,
                null, null, null))
                .hasMessageStartingWith("invalid value 'Host' for 'http.headers': the HTTP client sets Host itself");
        assertThatThrownBy(() -> new HttpActionConfig("http://x.example/", Map.of("X Site", "a"), null, null,
                null, null, null))
                .hasMessage("invalid value 'X Site' for 'http.headers': a header name is letters, digits and"
                        + " !#$%&'*+-.^_`|~");
        assertThatThrownBy(() -> new HttpActionConfig("http://x.example/", Map.of("X-A", "1", "x-a", "2"), null,
                null, null, null, null))
                .hasMessageContaining("each header once (names are not case-sensitive)");
    }
}
