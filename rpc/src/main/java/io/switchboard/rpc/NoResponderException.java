package io.switchboard.rpc;

/**
 * Nobody was subscribed to the request's topic: the broker answered the QoS 1 request with PUBACK
 * 0x10 (No matching subscribers), or a broker that helps with request/response replied so. The call
 * fails at once instead of waiting for its timeout.
 */
public class NoResponderException extends RpcException {
    private static final long serialVersionUID = 1L;

    public NoResponderException(String message) {
        super(message);
    }
}
