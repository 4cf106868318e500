package io.switchboard.rpc;

/**
 * Answers requests synchronously, on the service's worker threads (so it may block). Returning
 * null sends an empty success reply; throwing sends an error reply with code
 * {@value RpcHeaders#HANDLER_ERROR} (or the code of a thrown {@link ResponderException}).
 */
@FunctionalInterface
public interface RequestHandler {
    Response handle(Request request) throws Exception;
}
