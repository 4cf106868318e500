package io.switchboard.rpc;

/**
 * The user properties this library puts on replies, and reads on replies from any responder or
 * broker that follows the same convention (docs/rpc.md, "Wire format").
 */
public final class RpcHeaders {
    /** On every reply: {@link #OK}, {@link #ERROR}, {@link #NO_RESPONDERS} or {@link #EXPIRED}. */
    public static final String STATUS = "rpc-status";
    /** On an error reply: the error code (a short string, e.g. {@code handler-error}). */
    public static final String CODE = "rpc-code";
    /** On an error reply: a human-readable message. */
    public static final String MESSAGE = "rpc-message";

    /** The responder answered. */
    public static final String OK = "ok";
    /** The responder failed; see {@link #CODE} and {@link #MESSAGE}. */
    public static final String ERROR = "error";
    /** From a broker: nobody was subscribed to the request's topic. */
    public static final String NO_RESPONDERS = "no-responders";
    /** From a broker: the request expired in a responder's queue before it was delivered. */
    public static final String EXPIRED = "expired";

    /** W3C Trace Context: on a request when the caller gives one; copied onto its reply. */
    public static final String TRACEPARENT = "traceparent";

    /** The code of the error reply sent when a handler throws. */
    public static final String HANDLER_ERROR = "handler-error";

    private RpcHeaders() {
    }
}
