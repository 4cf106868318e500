package io.switchboard.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SubscriptionTreeTest {
    private final SubscriptionTree tree = new SubscriptionTree();

    private static final String CLIENT = "tree-test";

    private static Subscription sub(String filter) {
        return new Subscription(CLIENT, filter, 1, false, false, 0, 0);
    }

    private List<String> matching(String topic) {
        List<String> out = new ArrayList<>();
        tree.match(topic, s -> out.add(s.filter()), g -> out.add(g.sharedFilter()));
        return out;
    }

    @Test
    void matchesTheSameWayAsTopicsMatches() {
        String[] filters = {"#", "+", "a", "a/#", "a/+", "a/b", "+/b", "+/+", "a/+/c", "$SYS/#", "+/#", "/", "//"};
        String[] topics = {"a", "a/b", "a/b/c", "b", "$SYS/x", "$SYS", "/", "a/", "/b", "x/b", "a/x/c"};
        // One tree per filter: a session holds one subscription per filter, so each match is attributable.
        for (String topic : topics) {
            List<String> expected = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            for (String f : filters) {
                SubscriptionTree t = new SubscriptionTree();
                t.add(sub(f));
                if (Topics.matches(f, topic)) {
                    expected.add(f);
                }
                t.match(topic, s -> actual.add(s.filter()), g -> actual.add(g.sharedFilter()));
            }
            assertThat(actual).as("topic %s", topic).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void removePrunesAndReportsWhetherThereWasOne() {
        tree.add(sub("a/b/c"));
        assertThat(tree.size()).isEqualTo(1);
        assertThat(matching("a/b/c")).containsExactly("a/b/c");
        assertThat(tree.remove(CLIENT, "a/b/c")).isTrue();
        assertThat(tree.remove(CLIENT, "a/b/c")).isFalse();
        assertThat(tree.size()).isZero();
        assertThat(matching("a/b/c")).isEmpty();
    }

    @Test
    void concurrentMatchingWhileSubscribingNeverFails() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch done = new CountDownLatch(2);
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        pool.execute(() -> {
            try {
                Random r = new Random(1);
                for (int i = 0; i < 20_000; i++) {
                    String f = "t/" + r.nextInt(50) + "/" + (r.nextBoolean() ? "+" : "x");
                    if (r.nextBoolean()) {
                        tree.add(sub(f));
                    } else {
                        tree.remove(CLIENT, f);
                    }
                }
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                done.countDown();
            }
        });
        pool.execute(() -> {
            try {
                for (int i = 0; i < 20_000; i++) {
                    tree.match("t/" + (i % 50) + "/x", s -> { }, g -> { });
                }
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(errors).isEmpty();
    }

    @Test
    void sharedSubscriptionsFormOneGroupPerShareNameAndFilter() {
        // Section 4.8.2: $share/{ShareName}/{filter}; each group is matched once, whatever its size.
        tree.add(new Subscription("a", "$share/g1/s/+", 1, false, false, 0, 0));
        tree.add(new Subscription("b", "$share/g1/s/+", 1, false, false, 0, 0));
        tree.add(new Subscription("c", "$share/g2/s/+", 1, false, false, 0, 0));
        tree.add(new Subscription("a", "s/+", 1, false, false, 0, 0));
        List<String> ordinary = new ArrayList<>();
        List<SharedGroup> groups = new ArrayList<>();
        tree.match("s/x", s -> ordinary.add(s.clientId()), groups::add);
        assertThat(ordinary).containsExactly("a");
        assertThat(groups).extracting(SharedGroup::sharedFilter)
                .containsExactlyInAnyOrder("$share/g1/s/+", "$share/g2/s/+");
        assertThat(tree.group("$share/g1/s/+").members()).extracting(Subscription::clientId)
                .containsExactly("a", "b");
        assertThat(tree.size()).isEqualTo(4);
        assertThat(tree.remove("a", "$share/g1/s/+")).isTrue();
        assertThat(tree.group("$share/g1/s/+").members()).extracting(Subscription::clientId).containsExactly("b");
        assertThat(tree.remove("b", "$share/g1/s/+")).isTrue();
        assertThat(tree.group("$share/g1/s/+")).isNull();
        assertThat(tree.remove("c", "$share/g2/s/+")).isTrue();
        assertThat(tree.remove("a", "s/+")).isTrue();
        assertThat(tree.size()).isZero();
        assertThat(matching("s/x")).isEmpty();
    }
}
