package io.switchboard.rules.action;

/** Why an action failed for good, in words for the error record ("HTTP 503 after 3 attempts"). */
public final class ActionFailure extends RuntimeException {
    public ActionFailure(String message) {
        super(message, null, false, false);
    }

    public ActionFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
