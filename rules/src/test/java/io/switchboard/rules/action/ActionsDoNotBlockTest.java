package io.switchboard.rules.action;

import static io.switchboard.rules.action.ActionTesting.input;
import static io.switchboard.rules.action.ActionTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.rules.sql.RuleInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;

/**
 * {@link Action#run} is called on the broker's event loops: BlockHound fails this test if, on threads standing for
 * them ({@code sb-loop-test-N}), it parks (a contended lock, a future), sleeps or does blocking I/O. Several such
 * threads run at once against the same actions, so that contention, if there is a lock, shows.
 */
class ActionsDoNotBlockTest {
    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static final RuleInput MESSAGE = message("sensors/site-7/temp", "{\"site\": \"north\"}");

    @TempDir
    Path dir;

    @BeforeAll
    static void install() {
        BlockHound.builder()
                .nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith("sb-loop-test-")))
                .blockingMethodCallback(m -> {
                    StringBuilder where = new StringBuilder();
                    for (StackTraceElement e : new Throwable().getStackTrace()) {
                        if (!e.getClassName().startsWith("reactor.blockhound")) {
                            where.append("\n    at ").append(e);
                        }
                    }
                    VIOLATIONS.add(Thread.currentThread().getName() + ": " + m + where);
                })
                .install();
    }

    @Test
    void runNeverBlocksItsCaller() throws Exception {
        try (TestEndpoint endpoint = TestEndpoint.scripted(n -> n % 7 == 0 ? 503 : 200);
             HttpAction http = new HttpAction(new HttpActionConfig(endpoint.url("/${topic(2)}"), null, null, 1, 10,
                     50, 2));
             FileAction file = new FileAction(new FileActionConfig(dir.resolve("out.jsonl").toString(), 1024L, 2,
                     50))) {
            int threads = 4;
            int each = 1000;
            // each thread its own list: nothing of the test's own may park on those threads
            List<List<CompletionStage<Void>>> perThread = new ArrayList<>();
            List<Thread> loops = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<CompletionStage<Void>> mine = new ArrayList<>();
                perThread.add(mine);
                loops.add(new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        // full queues included: those fail at once, on this thread
                        mine.add(http.run(input(MESSAGE, "{\"i\":" + i + "}")));
                        mine.add(file.run(input(MESSAGE, "{\"i\":" + i + "}")));
                    }
                }, "sb-loop-test-" + t));
            }
            loops.forEach(Thread::start);
            for (Thread t : loops) {
                t.join(TimeUnit.SECONDS.toMillis(ActionTesting.PATIENCE_SECONDS));
            }
            List<CompletionStage<Void>> stages = perThread.stream().flatMap(List::stream).toList();
            assertThat(stages).hasSize(threads * each * 2);
            CompletableFuture.allOf(stages.stream().map(s -> s.toCompletableFuture()
                    .exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                    .get(ActionTesting.PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(VIOLATIONS).isEmpty();
    }
}
