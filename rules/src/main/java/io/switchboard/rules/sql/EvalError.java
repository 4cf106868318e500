package io.switchboard.rules.sql;

/**
 * Evaluation cannot go on: carries the kind and the offset in the SQL of the expression concerned, which
 * {@link SqlStatement#evaluate} turns into an {@link Evaluation.Failure}. No stack trace: it is an answer, not a bug.
 */
final class EvalError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final Evaluation.Kind kind;
    final int offset;

    EvalError(Evaluation.Kind kind, int offset, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.offset = offset;
    }
}
