package io.switchboard.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Response Information: each client's private reply-topic prefix (3.2.2.3.15, 4.10). */
class ResponseTopicsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "client-1|$reply/client-1",
            "a/b|$reply/a%2Fb",
            "a+b#c|$reply/a%2Bb%23c",
            "100%|$reply/100%25",
            "%2F|$reply/%252F",
            "é ü|$reply/é ü",
    })
    @DisplayName("The prefix is $reply/{client id}, with % / + # percent-encoded so that the id is one topic level")
    void prefix(String clientId, String prefix) {
        assertThat(ResponseTopics.prefixFor(clientId)).isEqualTo(prefix);
        assertThat(Topics.checkName(prefix + "/x")).isNull();
        assertThat(Topics.checkFilter(prefix + "/#")).isNull();
        assertThat(prefix.split("/", -1)).hasSize(2);
    }

    @Test
    @DisplayName("Different client ids never share a prefix, even ids that look encoded already")
    void encodingIsInjective() {
        assertThat(ResponseTopics.prefixFor("a/b")).isNotEqualTo(ResponseTopics.prefixFor("a%2Fb"));
        assertThat(ResponseTopics.prefixFor("%")).isNotEqualTo(ResponseTopics.prefixFor("%25"));
        assertThat(Topics.encodeLevel("plain")).isEqualTo("plain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$reply/me/#", "$reply/me/x", "$reply/me", "$reply/me/+/y", "$share/g/$reply/me/#",
            "#", "+/x", "a/b", "$SYS/#", "$replies/#", "$reply"})
    @DisplayName("A client may subscribe under its own prefix, and to anything that is not under $reply/")
    void allowed(String filter) {
        assertThat(ResponseTopics.checkSubscribe(filter, "me")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$reply/#", "$reply/+", "$reply/+/x", "$reply/other/#", "$reply/other", "$reply/me2/#",
            "$reply//#", "$share/g/$reply/#", "$share/g/$reply/other/x"})
    @DisplayName("No client may subscribe to a filter that reaches into another client's prefix")
    void refused(String filter) {
        assertThat(ResponseTopics.checkSubscribe(filter, "me"))
                .contains(filter).contains("$reply/me/");
    }

    @Test
    @DisplayName("A client id with '/' owns its encoded level only")
    void encodedOwner() {
        assertThat(ResponseTopics.checkSubscribe("$reply/a%2Fb/#", "a/b")).isNull();
        assertThat(ResponseTopics.checkSubscribe("$reply/a/#", "a/b")).isNotNull();
        assertThat(ResponseTopics.checkSubscribe("$reply/a%2Fb/#", "a%2Fb")).isNotNull();
    }
}
