package io.switchboard.rules.engine;

import io.switchboard.broker.message.Message;
import java.util.concurrent.CompletionStage;

/**
 * Publishes a rule's message as the broker's own (never seen by the rules again: no loops). The
 * broker's implementation routes it as a client's PUBLISH would be and completes when what it stored
 * is durable.
 */
@FunctionalInterface
public interface Republisher {
    CompletionStage<Integer> publish(Message message);
}
