package io.switchboard.security;

/**
 * Reply rights of a client group: a member that receives a request (a message with a Response
 * Topic) may publish to that Response Topic without a publisher binding, at most
 * {@code maxReplies} times, until the earlier of the request's Message Expiry and
 * {@code maxTtlSeconds}, and, with {@code requireCorrelationData}, only with the request's
 * Correlation Data. A grant is made only when the requester may itself subscribe to the Response
 * Topic, or it lies under the requester's private reply prefix, so that a requester cannot aim a
 * responder at a topic of its choosing. Grants are per connection and bounded by
 * {@code maxGrants}, the oldest evicted.
 */
public record ReplyRights(int maxReplies, long maxTtlSeconds, boolean requireCorrelationData, int maxGrants) {
    public static final ReplyRights DEFAULTS = new ReplyRights(1, 120, false, 1000);

    public ReplyRights {
        if (maxReplies < 1 || maxReplies > 1000) {
            throw new IllegalArgumentException("maxReplies " + maxReplies + ": allowed 1..1000");
        }
        if (maxTtlSeconds < 1 || maxTtlSeconds > 86_400) {
            throw new IllegalArgumentException("maxTtlSeconds " + maxTtlSeconds + ": allowed 1..86400");
        }
        if (maxGrants < 1 || maxGrants > 1_000_000) {
            throw new IllegalArgumentException("maxGrants " + maxGrants + ": allowed 1..1000000");
        }
    }
}
