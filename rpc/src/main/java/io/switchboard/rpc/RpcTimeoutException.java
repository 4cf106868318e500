package io.switchboard.rpc;

/**
 * No reply came before the call's deadline, or the broker said the request expired in a
 * responder's queue before it could be delivered ({@link #expiredBeforeDelivery()}).
 */
public class RpcTimeoutException extends RpcException {
    private static final long serialVersionUID = 1L;
    private final boolean expiredBeforeDelivery;

    public RpcTimeoutException(String message, boolean expiredBeforeDelivery) {
        super(message);
        this.expiredBeforeDelivery = expiredBeforeDelivery;
    }

    /** Whether the broker reported that the request expired before any responder received it. */
    public boolean expiredBeforeDelivery() {
        return expiredBeforeDelivery;
    }
}
