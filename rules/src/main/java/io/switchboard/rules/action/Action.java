package io.switchboard.rules.action;

import java.util.concurrent.CompletionStage;

/**
 * What a rule does with its output: republish it, send it to an HTTP endpoint, append it to a file.
 * {@link #run} never blocks its caller (the broker's event loop) and never throws: slow work goes to
 * the action's own bounded queue and threads, and the stage completes, on any thread, when the
 * action succeeded or failed for good (retries included); a failure's message says what went wrong,
 * and the rule's error action gets it.
 */
public interface Action extends AutoCloseable {

    /** Runs once for one output of the rule. */
    CompletionStage<Void> run(ActionInput input);

    /** {@code republish}, {@code http}, {@code file}: for counters and error records. */
    String kind();

    /** Stops: what is queued is dropped (failed), threads end. */
    @Override
    void close();
}
