package io.switchboard.rpc;

/**
 * The connection to the broker was lost while the call waited for its reply (or it was never up).
 * Whether the responder executed the request is unknown.
 */
public class ConnectionLostException extends RpcException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
