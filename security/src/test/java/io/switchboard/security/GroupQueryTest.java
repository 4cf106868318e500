package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupQueryTest {
    static final Map<String, Object> SENSOR = Map.of("sensors", List.of("motion", "light"), "type", "home-sensors",
            "floor", 3L);

    @Test
    void azuresDocumentedQueriesParseAndMatch() {
        // The sample queries of Azure Event Grid's "Client groups" page, verbatim.
        assertThat(GroupQuery.parse("(attributes.sensors = \"motion\" or attributes.sensors = \"humidity\") or"
                + " attributes.type = \"home-sensors\"").matches("c1", SENSOR)).isTrue();
        assertThat(GroupQuery.parse("attributes.sensors IN [\"motion\", \"humidity\", \"temperature\"] and"
                + " attributes.floor <= 5").matches("c1", SENSOR)).isTrue();
        GroupQuery names = GroupQuery.parse("authenticationName IN ['client1', 'client2']");
        assertThat(names.matches("client2", Map.of())).isTrue();
        assertThat(names.matches("client3", Map.of())).isFalse();
        assertThat(GroupQuery.parse("attributes.b IN ['a', 'b', 'c']").matches("x", Map.of("b", "c"))).isTrue();
    }

    @Test
    void andBindsTighterThanOr() {
        GroupQuery q = GroupQuery.parse("attributes.type = 'x' or attributes.type = 'home-sensors' and attributes.floor = 9");
        // x or (home-sensors and floor 9): SENSOR is on floor 3
        assertThat(q.matches("c", SENSOR)).isFalse();
        assertThat(q.matches("c", Map.of("type", "x"))).isTrue();
        assertThat(GroupQuery.parse("(attributes.type = 'x' or attributes.type = 'home-sensors') and attributes.floor = 3")
                .matches("c", SENSOR)).isTrue();
    }

    @Test
    void comparisonsOfEachOperator() {
        Map<String, Object> a = Map.of("n", 5L, "i", 5, "s", "five");
        assertThat(GroupQuery.parse("attributes.n = 5").matches("c", a)).isTrue();
        assertThat(GroupQuery.parse("attributes.i = 5").matches("c", a)).isTrue(); // Integer or Long
        assertThat(GroupQuery.parse("attributes.n <> 5").matches("c", a)).isFalse();
        assertThat(GroupQuery.parse("attributes.n != 4").matches("c", a)).isTrue();
        assertThat(GroupQuery.parse("attributes.n < 6 AND attributes.n > 4 AND attributes.n <= 5 AND attributes.n >= 5")
                .matches("c", a)).isTrue();
        assertThat(GroupQuery.parse("attributes.n >= -3").matches("c", a)).isTrue();
        assertThat(GroupQuery.parse("attributes.s = 'five'").matches("c", a)).isTrue();
        assertThat(GroupQuery.parse("attributes.s != 'six'").matches("c", a)).isTrue();
    }

    @Test
    void whatTheQueryCannotSeeNeverMatches() {
        assertThat(GroupQuery.parse("attributes.missing != 'x'").matches("c", Map.of())).isFalse();
        assertThat(GroupQuery.parse("attributes.floor = '3'").matches("c", SENSOR)).isFalse(); // text against integer
        assertThat(GroupQuery.parse("attributes.type = 3").matches("c", SENSOR)).isFalse();
        assertThat(GroupQuery.parse("authenticationName = 'c'").matches(null, Map.of())).isFalse();
    }

    @Test
    void aListAttributeMatchesWhenAnyElementDoes() {
        assertThat(GroupQuery.parse("attributes.sensors = 'light'").matches("c", SENSOR)).isTrue();
        assertThat(GroupQuery.parse("attributes.sensors = 'sound'").matches("c", SENSOR)).isFalse();
        assertThat(GroupQuery.parse("attributes.sensors <> 'motion'").matches("c", SENSOR)).isTrue(); // 'light' differs
    }

    @Test
    void errorsSayWhereAndWhatWasExpected() {
        assertThatThrownBy(() -> GroupQuery.parse("attributes.floor <= 'five'")).isInstanceOfSatisfying(
                QueryException.class, e -> {
                    assertThat(e.column()).isEqualTo(21);
                    assertThat(e.getMessage()).startsWith("column 21: '<=' compares integers: expected an integer");
                });
        assertThatThrownBy(() -> GroupQuery.parse("attributes.a = 'x' and"))
                .hasMessageStartingWith("column 23: expected authenticationName or attributes.<key>");
        assertThatThrownBy(() -> GroupQuery.parse("(attributes.a = 'x'"))
                .hasMessageStartingWith("column 20: expected ')'");
        assertThatThrownBy(() -> GroupQuery.parse("attributes.a IN ['x' 'y']"))
                .hasMessageStartingWith("column 22: expected ',' or ']'");
        assertThatThrownBy(() -> GroupQuery.parse("name = 'x'"))
                .hasMessageStartingWith("column 1: unknown operand 'name': allowed authenticationName or attributes.<key>");
        assertThatThrownBy(() -> GroupQuery.parse("attributes.a ~ 'x'"))
                .hasMessageStartingWith("column 14: expected an operator");
        assertThatThrownBy(() -> GroupQuery.parse("attributes.a = 'x"))
                .hasMessageStartingWith("column 16: text not closed");
        assertThatThrownBy(() -> GroupQuery.parse("attributes.a = 'x' attributes.b = 'y'"))
                .hasMessageStartingWith("column 20: expected 'and', 'or' or the end of the query");
        assertThatThrownBy(() -> GroupQuery.parse("attributes.n = 99999999999999999999"))
                .hasMessageStartingWith("column 16: integer out of range");
        assertThatThrownBy(() -> GroupQuery.parse("")).isInstanceOf(QueryException.class);
    }

    @Test
    void fuzzedQueriesEitherParseOrFailWithAPosition() {
        // Valid queries with up to three random edits (a character deleted, inserted or replaced).
        String[] valid = {"(attributes.sensors = \"motion\" or attributes.sensors = \"humidity\") or attributes.type = 'x'",
            "attributes.sensors IN [\"motion\", \"humidity\"] and attributes.floor <= 5",
            "authenticationName IN ['client1', 'client2']", "attributes.n != -4 AND (attributes.m >= 2 OR attributes.k <> 'z')"};
        String alphabet = "()[],'\"=<>!-0123456789 abdinorsteuIANDOR.$\u00e9\t";
        Random random = new Random(20261206);
        int parsed = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder q = new StringBuilder(valid[random.nextInt(valid.length)]);
            int edits = random.nextInt(4);
            for (int k = 0; k < edits && q.length() > 0; k++) {
                int at = random.nextInt(q.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> q.deleteCharAt(at);
                    case 1 -> q.insert(at, c);
                    default -> q.setCharAt(at, c);
                }
            }
            try {
                GroupQuery.parse(q.toString()).matches("c", SENSOR);
                parsed++;
            } catch (QueryException e) {
                assertThat(e.column()).as(q.toString()).isBetween(1, q.length() + 1);
            }
        }
        assertThat(parsed).isBetween(1, 19_999);
        String deep = "(".repeat(1000) + "attributes.a = 1" + ")".repeat(1000);
        assertThatThrownBy(() -> GroupQuery.parse(deep)).hasMessageContaining("nested deeper than 64");
    }
}
