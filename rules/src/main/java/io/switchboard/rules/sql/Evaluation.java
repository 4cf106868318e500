package io.switchboard.rules.sql;

import java.util.Objects;

/**
 * What evaluating a rule's statement against one message gave: an {@link Output} for its actions,
 * {@link NoOutput} when the WHERE clause was not true, or a {@link Failure} for its error action. A failure is
 * never silent: the caller routes it to the rule's error action.
 */
public sealed interface Evaluation permits Evaluation.Output, Evaluation.NoOutput, Evaluation.Failure {

    /**
     * The output payload. {@link #value()} is what the SELECT made: an Object (the usual case), any value with
     * {@code SELECT VALUE}, or the raw bytes of a binary payload with {@code SELECT *}. {@link #toBytes()} is
     * what a republish action sends.
     */
    final class Output implements Evaluation {
        private final SqlValue value;
        private final RuleInput passThrough;

        Output(SqlValue value) {
            this.value = Objects.requireNonNull(value);
            this.passThrough = null;
        }

        private Output(RuleInput passThrough) {
            this.value = null;
            this.passThrough = passThrough;
        }

        /** {@code SELECT *} alone: the payload as it came, byte for byte, parsed only if {@link #value()} is asked. */
        static Output passThrough(RuleInput input) {
            return new Output(input);
        }

        public SqlValue value() {
            return value != null ? value : passThrough.payloadValue();
        }

        /**
         * The output as bytes: {@code SELECT *} alone passes the payload through unchanged; raw bytes stay raw;
         * anything else is JSON (UTF-8) with Undefined members left out, and a lone Undefined is the empty payload
         * ("Undefined is converted to an empty string when serialized by itself"). Not cached: keep the result.
         */
        public byte[] toBytes() {
            if (passThrough != null) {
                return passThrough.bytes().clone();
            }
            if (value instanceof SqlValue.BinaryValue b) {
                return b.bytes().clone();
            }
            if (value == SqlValue.UNDEFINED) {
                return new byte[0];
            }
            return Json.toBytes(value);
        }

        @Override
        public String toString() {
            SqlValue v = value();
            boolean notJson = v instanceof SqlValue.BinaryValue || v == SqlValue.UNDEFINED;
            return "Output[" + (notJson ? v.toString() : Json.toText(v)) + "]";
        }
    }

    /** The WHERE clause was false, Undefined, or not a Boolean: the rule's actions do not run. */
    enum NoOutput implements Evaluation {
        INSTANCE
    }

    /**
     * The statement could not be evaluated against this message: the caller sends the message to the rule's error
     * action. {@code line} and {@code column} (1-based) point into the SQL at the expression concerned.
     */
    record Failure(Kind kind, String message, int line, int column) implements Evaluation {
        public Failure {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(message);
        }

        @Override
        public String toString() {
            return kind + " at line " + line + ", column " + column + ": " + message;
        }
    }

    /** Why a {@link Failure}. */
    enum Kind {
        /** The statement reads JSON fields and the payload is not JSON (AWS: a binary payload). */
        PAYLOAD_NOT_JSON,
        /** {@code SELECT *, ...} adds to the payload's object, and the payload is JSON but not an object. */
        PAYLOAD_NOT_OBJECT,
        /** An expression could not be evaluated, or its value cannot be put in the output. */
        RUNTIME_ERROR
    }
}
