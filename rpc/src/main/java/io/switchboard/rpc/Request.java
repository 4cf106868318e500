package io.switchboard.rpc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A request as a responder's handler sees it: topic, payload, properties, and its deadline with a
 * cancellation signal that fires when the deadline passes (the caller has given up) or the client
 * closes.
 */
public final class Request extends RpcMessage {
    private final String responseTopic;
    private final byte[] correlationData;
    private final Instant deadline;
    final CompletableFuture<Void> cancelled = new CompletableFuture<>();

    Request(String topic, byte[] payload, String contentType, List<UserProperty> userProperties, String responseTopic,
            byte[] correlationData, Instant deadline) {
        super(topic, payload, contentType, userProperties);
        this.responseTopic = responseTopic;
        this.correlationData = correlationData;
        this.deadline = deadline;
    }

    /** The caller's W3C {@code traceparent}, when it sent one (copied onto the reply). */
    public Optional<String> traceparent() {
        return userProperty(RpcHeaders.TRACEPARENT);
    }

    /** Where the reply goes. */
    public String responseTopic() {
        return responseTopic;
    }

    /** The caller's Correlation Data (copied into the reply); a copy, empty when there was none. */
    public byte[] correlationData() {
        return correlationData == null ? new byte[0] : correlationData.clone();
    }

    /**
     * When the caller stops waiting: the time of receipt plus the request's Message Expiry
     * Interval as the broker forwarded it (the time left). Empty when the request has no expiry.
     */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** Whether the deadline has passed or the client was closed: a reply would no longer be read. */
    public boolean isCancelled() {
        return cancelled.isDone();
    }

    /** Completes when the request is cancelled (see {@link #isCancelled()}). */
    public CompletionStage<Void> onCancel() {
        return cancelled.minimalCompletionStage();
    }

    byte[] rawCorrelationData() {
        return correlationData;
    }
}
