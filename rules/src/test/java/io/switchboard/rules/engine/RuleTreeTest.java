package io.switchboard.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.routing.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rules' topic tree finds exactly the rules whose FROM filter matches a topic, as the broker's
 * own filter matching ({@link Topics#matches}) decides it, in the rules' order.
 */
class RuleTreeTest {

    @Test
    void wildcardsParentsEmptyLevelsAndDollarTopics() {
        List<String> filters = List.of("a/b", "a/+", "a/#", "#", "+/b", "+", "a/+/c", "$SYS/#", "+/+/#", "a//c", "a/b",
                "sport/tennis/player1/#", "/+");
        RuleTree<String> tree = tree(filters);
        assertThat(tree.match("a/b")).containsExactly("0:a/b", "1:a/+", "2:a/#", "3:#", "4:+/b", "8:+/+/#", "10:a/b");
        assertThat(tree.match("a")).containsExactly("2:a/#", "3:#", "5:+"); // "a/#" matches its parent [MQTT-4.7.1-2]
        assertThat(tree.match("a//c")).containsExactly("2:a/#", "3:#", "6:a/+/c", "8:+/+/#", "9:a//c");
        assertThat(tree.match("sport/tennis/player1")).containsExactly("3:#", "8:+/+/#", "11:sport/tennis/player1/#");
        assertThat(tree.match("/x")).containsExactly("3:#", "8:+/+/#", "12:/+");
        // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with '$'
        assertThat(tree.match("$SYS/broker/load")).containsExactly("7:$SYS/#");
        assertThat(tree.match("$other")).isEmpty();
        assertThat(tree(List.of("factory/#")).match("devices/dev-1/inbox/dev-2")).isEmpty();
    }

    @Test
    void agreesWithTheBrokersFilterMatchingOnManyFiltersAndTopics() {
        Random random = new Random(20261206);
        String[] levels = {"a", "b", "c", "", "dev-1", "$SYS", "inbox"};
        for (int round = 0; round < 200; round++) {
            List<String> filters = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                filters.add(filter(random, levels));
            }
            RuleTree<String> tree = tree(filters);
            for (int t = 0; t < 200; t++) {
                String topic = topic(random, levels);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < filters.size(); i++) {
                    if (Topics.matches(filters.get(i), topic)) {
                        expected.add(i + ":" + filters.get(i));
                    }
                }
                assertThat(tree.match(topic)).as("topic '%s', filters %s", topic, filters).isEqualTo(expected);
            }
        }
    }

    @Test
    void aTopicOfManyLevelsAndADeepFilterAreWalkedWithoutRecursion() {
        String deep = "a/+".repeat(1) + "/+".repeat(20_000);
        RuleTree<String> tree = tree(List.of(deep, "a/#"));
        String topic = "a" + "/x".repeat(20_001);
        assertThat(tree.match(topic)).containsExactly("0:" + deep, "1:a/#");
    }

    private static RuleTree<String> tree(List<String> filters) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            names.add(i + ":" + filters.get(i));
        }
        return new RuleTree<>(names, filters);
    }

    private static String filter(Random random, String[] levels) {
        int n = 1 + random.nextInt(4);
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                f.append('/');
            }
            int pick = random.nextInt(10);
            if (pick == 0 && i == n - 1) {
                f.append('#');
            } else if (pick < 3) {
                f.append('+');
            } else {
                f.append(levels[random.nextInt(levels.length)]);
            }
        }
        return f.toString();
    }

    private static String topic(Random random, String[] levels) {
        int n = 1 + random.nextInt(4);
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                t.append('/');
            }
            t.append(levels[random.nextInt(levels.length)]);
        }
        return t.toString();
    }
}
