package io.switchboard.rpc;

import java.util.concurrent.CompletionStage;

/**
 * Answers requests asynchronously: the reply is sent when the returned stage completes (null: an
 * empty success reply; exceptionally: an error reply, as for {@link RequestHandler}).
 */
@FunctionalInterface
public interface AsyncRequestHandler {
    CompletionStage<Response> handle(Request request);
}
