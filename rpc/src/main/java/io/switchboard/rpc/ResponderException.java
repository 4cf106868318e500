package io.switchboard.rpc;

/**
 * The responder answered with an error: its handler threw, or returned {@link Response#error}. The
 * code and message are those of the error reply (user properties {@code rpc-code} and
 * {@code rpc-message}, see docs/rpc.md).
 */
public class ResponderException extends RpcException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final String errorMessage;
    private final transient Reply reply;

    public ResponderException(String code, String errorMessage, Reply reply) {
        super("the responder answered with error " + code + (errorMessage == null || errorMessage.isEmpty() ? ""
                : ": " + errorMessage));
        this.code = code;
        this.errorMessage = errorMessage;
        this.reply = reply;
    }

    /** The error code the responder gave. */
    public String code() {
        return code;
    }

    /** The responder's message, possibly empty. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The error reply itself (its payload may carry details). */
    public Reply reply() {
        return reply;
    }
}
