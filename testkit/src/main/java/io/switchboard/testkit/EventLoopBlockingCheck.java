package io.switchboard.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Fails a test class when anything blocked on a broker event loop while it ran: sleeping, waiting
 * on a lock or a future, blocking file or socket I/O. Registered for every test class of a module by
 * JUnit's extension auto-detection (the surefire configuration turns it on, with the JVM flags
 * BlockHound needs). Logging is allowed: it is the one blocking write the broker makes on purpose; so
 * are the pooled allocator's and the global executor's brief internal locks, which are Netty's own.
 */
public final class EventLoopBlockingCheck implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    private static synchronized void install() {
        if (installed) {
            return;
        }
        BlockHound.builder()
                .nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith("sb-loop")
                        || t.getName().startsWith("sb-accept")))
                .allowBlockingCallsInside("ch.qos.logback.classic.Logger", "callAppenders")
                // Netty's hand-off of listener notifications (e.g. an event loop's termination at
                // shutdown) to its global executor: a queue lock held for a moment, Netty's design.
                .allowBlockingCallsInside("io.netty.util.concurrent.GlobalEventExecutor", "addTask")
                .blockingMethodCallback(m -> {
                    StackTraceElement[] stack = new Throwable().getStackTrace();
                    StringBuilder where = new StringBuilder();
                    for (StackTraceElement e : stack) {
                        if (e.getClassName().startsWith("io.netty.buffer.")) {
                            // The pooled allocator's own short critical sections, shared in these test
                            // JVMs with the test clients: contention there is not the broker blocking.
                            return;
                        }
                        if (!e.getClassName().startsWith("reactor.blockhound")
                                && !e.getClassName().startsWith("io.switchboard.testkit")) {
                            where.append("\n    at ").append(e);
                        }
                    }
                    VIOLATIONS.add(Thread.currentThread().getName() + ": " + m + where);
                })
                .install();
        installed = true;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        VIOLATIONS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!VIOLATIONS.isEmpty()) {
            String report = String.join("\n", VIOLATIONS);
            VIOLATIONS.clear();
            throw new AssertionError("blocking calls on broker event loops during " + context.getDisplayName()
                    + ":\n" + report);
        }
    }
}
