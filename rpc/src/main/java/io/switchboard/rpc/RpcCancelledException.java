package io.switchboard.rpc;

/** The call was given up before its reply came: the client was closed, or the call cancelled. */
public class RpcCancelledException extends RpcException {
    private static final long serialVersionUID = 1L;

    public RpcCancelledException(String message) {
        super(message);
    }
}
