package io.switchboard.rpc;

/**
 * Why a call failed. Each cause has its own type, so that a caller can tell them apart without
 * reading messages: {@link RpcTimeoutException}, {@link NoResponderException},
 * {@link ResponderException}, {@link RpcCancelledException} and {@link ConnectionLostException}.
 */
public class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RpcException(String message) {
        super(message);
    }

    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
