package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {
    @Test
    void matchingFollowsTheSpecification() {
        assertThat(Filters.matches("sport/tennis/#", "sport/tennis")).isTrue(); // [MQTT-4.7.1-2] the parent too
        assertThat(Filters.matches("sport/+", "sport/")).isTrue(); // an empty level
        assertThat(Filters.matches("sport/+", "sport")).isFalse();
        assertThat(Filters.matches("+/+", "/finance")).isTrue();
        assertThat(Filters.matches("#", "$SYS/broker")).isFalse(); // [MQTT-4.7.2-1]
        assertThat(Filters.matches("+/monitor", "$SYS/monitor")).isFalse();
        assertThat(Filters.matches("$SYS/#", "$SYS/broker")).isTrue();
    }

    /** The specification's matching, level by level: the reference for the allocation-free one. */
    static boolean matchesByLevels(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (t[0].startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    @Test
    void matchingAgreesWithTheLevelByLevelReadingOnEveryPair() {
        List<String> filters = filters(new String[] {"a", "ab", "", "$s", "+", "#"}, 3);
        List<String> topics = topics(new String[] {"a", "ab", "b", "", "$s"}, 4);
        for (String f : filters) {
            for (String t : topics) {
                assertThat(Filters.matches(f, t)).as("matches(%s, %s)", f, t).isEqualTo(matchesByLevels(f, t));
            }
        }
    }

    @Test
    void aFilterSetAllowsExactlyWhatOneOfItsFiltersMatches() {
        // Sets of three filters (literal and wildcard mixed), asked in turn about every topic, each
        // question twice (the second answered by the remembered last topic when it was allowed).
        List<String> filters = filters(new String[] {"a", "ab", "", "$s", "+", "#"}, 2);
        List<String> topics = topics(new String[] {"a", "ab", "b", "", "$s"}, 3);
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 300; round++) {
            String[] set = {filters.get(random.nextInt(filters.size())), filters.get(random.nextInt(filters.size())),
                filters.get(random.nextInt(filters.size()))};
            FilterSet fs = new FilterSet(set);
            for (String t : topics) {
                boolean expected = false;
                for (String f : set) {
                    expected |= Filters.matches(f, t);
                }
                assertThat(fs.matches(t)).as("%s matches %s", List.of(set), t).isEqualTo(expected);
                assertThat(fs.matches(t)).as("%s matches %s again", List.of(set), t).isEqualTo(expected);
            }
        }
    }

    @Test
    void containmentIsNotOverlap() {
        assertThat(Filters.contains("devices/+/reported", "devices/d1/reported")).isTrue();
        assertThat(Filters.contains("devices/d1/reported", "devices/+/reported")).isFalse();
        assertThat(Filters.contains("devices/d1/#", "devices/d1")).isTrue();
        assertThat(Filters.contains("devices/d1/#", "devices/#")).isFalse();
        assertThat(Filters.contains("devices/+", "devices/+/x")).isFalse();
        assertThat(Filters.contains("a/+/#", "a/b")).isTrue();
        assertThat(Filters.contains("a/+/#", "a/#")).isFalse(); // a/# matches 'a', a/+/# does not
        assertThat(Filters.contains("#", "$SYS/#")).isFalse();
        assertThat(Filters.contains("+/x", "$share-like/x")).isFalse();
        assertThat(Filters.contains("#", "+/x")).isTrue();
    }

    /**
     * Containment checked against its definition on a universe of topics: for filters over the levels
     * a, b, $s, + and # (up to 3 levels), {@code contains(outer, inner)} holds exactly when every topic
     * of up to 4 levels over a, b, $s, z and the empty level that inner matches, outer matches too
     * (z stands for any level the filters do not name).
     */
    @Test
    void containmentAgreesWithItsDefinitionOnEveryPairOfSmallFilters() {
        List<String> filters = filters(new String[] {"a", "b", "$s", "+", "#"}, 3);
        List<String> topics = topics(new String[] {"a", "b", "$s", "z", ""}, 4);
        int pairs = 0;
        for (String outer : filters) {
            for (String inner : filters) {
                boolean byDefinition = true;
                for (String t : topics) {
                    if (Filters.matches(inner, t) && !Filters.matches(outer, t)) {
                        byDefinition = false;
                        break;
                    }
                }
                assertThat(Filters.contains(outer, inner)).as("contains(%s, %s)", outer, inner).isEqualTo(byDefinition);
                pairs++;
            }
        }
        assertThat(pairs).isGreaterThan(10_000);
    }

    private static List<String> filters(String[] levels, int depth) {
        List<String> out = new ArrayList<>();
        for (String t : topics(levels, depth)) {
            if (Filters.isValidFilter(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<String> topics(String[] levels, int depth) {
        List<String> out = new ArrayList<>();
        List<String> current = List.of("");
        for (int d = 1; d <= depth; d++) {
            List<String> next = new ArrayList<>();
            for (String prefix : current) {
                for (String l : levels) {
                    next.add(d == 1 ? l : prefix + "/" + l);
                }
            }
            out.addAll(next);
            current = next;
        }
        return out;
    }
}
