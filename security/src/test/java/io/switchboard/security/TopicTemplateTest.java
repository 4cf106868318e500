package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicTemplateTest {
    @Test
    void variablesFillALevelOrPartOfOne() {
        assertThat(TopicTemplate.parse("devices/${client.authenticationName}/desired").resolve("device1", Map.of()))
                .isEqualTo("devices/device1/desired");
        assertThat(TopicTemplate.parse("machines/${client.authenticationName}.factory1/temp").resolve("m7", Map.of()))
                .isEqualTo("machines/m7.factory1/temp");
        assertThat(TopicTemplate.parse("area/${client.attributes.area}/+/#").resolve("x", Map.of("area", "s1")))
                .isEqualTo("area/s1/+/#");
        assertThat(TopicTemplate.parse("floor/${client.attributes.floor}").resolve("x", Map.of("floor", 3L)))
                .isEqualTo("floor/3");
        assertThat(TopicTemplate.parse("fixed/#").hasVariables()).isFalse();
    }

    @Test
    void aMissingAttributeOrAValueThatIsNotOnePlainLevelMatchesNothing() {
        TopicTemplate t = TopicTemplate.parse("devices/${client.attributes.site}/${client.authenticationName}");
        assertThat(t.resolve("d1", Map.of())).isNull();
        assertThat(t.resolve("d1", Map.of("site", List.of("a", "b")))).isNull();
        // Wildcards, separators and '$' in identities never widen what the template grants.
        for (String name : new String[] {"+", "#", "a/b", "a+", "$SYS", "", "a\0b"}) {
            assertThat(t.resolve(name, Map.of("site", "s1"))).as(name).isNull();
            assertThat(t.resolve("d1", Map.of("site", name))).as(name).isNull();
        }
        assertThat(t.resolve("d1", Map.of("site", "s1"))).isEqualTo("devices/s1/d1");
    }

    @Test
    void badTemplatesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TopicTemplate.parse("a/${client.authenticationName"))
                .hasMessageContaining("is not closed by '}'");
        assertThatThrownBy(() -> TopicTemplate.parse("a/${client.id}"))
                .hasMessageContaining("unknown variable '${client.id}'");
        assertThatThrownBy(() -> TopicTemplate.parse("a/#/b")).hasMessageContaining("not a topic filter");
        assertThatThrownBy(() -> TopicTemplate.parse("a/${client.authenticationName}+")).hasMessageContaining(
                "not a topic filter");
        assertThatThrownBy(() -> TopicTemplate.parse("$share/g/a")).hasMessageContaining("shared subscription");
    }
}
