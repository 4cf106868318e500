package io.switchboard.rules.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.switchboard.rules.sql.MessageContext;
import io.switchboard.rules.sql.RuleInput;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the actions' tests share: a message, an input, waiting for a stage's outcome. */
final class ActionTesting {
    /** How long a stage may take before the test gives up: a bound against hanging, not a timing. */
    static final long PATIENCE_SECONDS = 30;

    private ActionTesting() {
    }

    static RuleInput message(String topic, String payload) {
        return RuleInput.of(MessageContext.builder(topic).clientId("sensor-17").payload(payload).build());
    }

    static ActionInput input(RuleInput message, String output) {
        return new ActionInput("to-endpoint", message, output.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits for the stage and asserts that it succeeded. */
    static void succeeded(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            fail("the action failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            fail("the action did not complete", e);
        }
    }

    /** Waits for the stage, asserts that it failed with an {@link ActionFailure} and returns its message. */
    static String failure(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ActionFailure.class);
            return e.getCause().getMessage();
        } catch (InterruptedException | TimeoutException e) {
            fail("the action did not complete", e);
        }
        return fail("the action succeeded");
    }

    /** The message of a stage that has already failed (checked without waiting). */
    static String failedAtOnce(CompletionStage<Void> stage) {
        assertThat(stage.toCompletableFuture()).as("failed at once").isCompletedExceptionally();
        return failure(stage);
    }
}
