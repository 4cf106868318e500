package io.switchboard.broker.config;

/**
 * The broker's help with request/response (docs/rpc.md, "Broker help").
 *
 * @param noResponderReplies whether a request (a PUBLISH with a Response Topic) that matches no
 *     subscriber gets a reply from the broker on its Response Topic saying so; default true
 * @param expiryReplies whether a request that expires in a session's queue before it is delivered
 *     gets a reply from the broker saying so; default true
 */
public record RpcConfig(Boolean noResponderReplies, Boolean expiryReplies) {
    public RpcConfig {
        noResponderReplies = noResponderReplies == null || noResponderReplies;
        expiryReplies = expiryReplies == null || expiryReplies;
    }

    public static RpcConfig defaults() {
        return new RpcConfig(null, null);
    }
}
