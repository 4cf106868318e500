package io.switchboard.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import io.switchboard.broker.session.Session;
import io.switchboard.broker.session.TestSessions;
import org.junit.jupiter.api.Test;

class SubscriptionTreeTest {
    private final SubscriptionTree tree = new SubscriptionTree();

    private static final Session SESSION = TestSessions.create("tree-test");

    private static Subscription sub(String filter) {
        return new Subscription(SESSION, filter, 1, false, false, 0, 0);
    }

    private List<String> matching(String topic) {
        List<String> out = new ArrayList<>();
        tree.match(topic, s -> out.add(s.filter()));
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
                t.match(topic, s -> actual.add(s.filter()));
            }
            assertThat(actual).as("topic %s", topic).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void removePrunesAndReportsWhetherThereWasOne() {
        tree.add(sub("a/b/c"));
        assertThat(tree.size()).isEqualTo(1);
        assertThat(matching("a/b/c")).containsExactly("a/b/c");
        assertThat(tree.remove(SESSION, "a/b/c")).isTrue();
        assertThat(tree.remove(SESSION, "a/b/c")).isFalse();
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
                        tree.remove(SESSION, f);
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
                    tree.match("t/" + (i % 50) + "/x", s -> { });
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
}
