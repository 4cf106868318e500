package io.switchboard.rpc;

/**
 * A snapshot of a client's counters. {@code pendingCalls} and {@code pendingTimers} are what it
 * holds now (0 when idle: nothing leaks); the others count since it was built.
 *
 * @param pendingCalls calls waiting for their reply
 * @param pendingTimers deadline timers scheduled (calls and requests being served)
 * @param services services serving now
 * @param replySubscriptions reply subscriptions held now besides the client's one reply topic: with
 *     the MQTT 3.1.1 formats, one per request topic in use (or used within the linger time)
 * @param calls calls made
 * @param replies replies matched to their call
 * @param droppedReplies replies that matched no waiting call: late (after a timeout or
 *     cancellation), duplicated, or unknown
 * @param timeouts calls failed by {@link RpcTimeoutException}
 * @param noResponders calls failed by {@link NoResponderException}
 * @param responderErrors calls failed by {@link ResponderException}
 * @param connectionLosses calls failed by {@link ConnectionLostException}
 * @param requestsServed requests a handler ran for
 * @param duplicateRequests requests answered from the duplicate cache without running the handler
 * @param expiredRequests requests not answered because their deadline passed first
 */
public record RpcStats(int pendingCalls, int pendingTimers, int services, int replySubscriptions, long calls, long replies,
        long droppedReplies, long timeouts, long noResponders, long responderErrors, long connectionLosses,
        long requestsServed, long duplicateRequests, long expiredRequests) {
}
