package io.switchboard.rules.action;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The start of a failed response's body, for the failure's message ("HTTP 400 Bad Request from ...: {"error":
 * "missing field"}"): the body is read to its end (so the connection can be reused) and all but its first
 * {@link #LIMIT} bytes dropped, so an endpoint's error page never fills the heap. The body of a 2xx is not kept.
 */
final class ResponseExcerpt implements HttpResponse.BodySubscriber<String> {
    static final int LIMIT = 200;

    /** The handler: an excerpt of a body that is not 2xx, nothing of one that is. */
    static final HttpResponse.BodyHandler<String> HANDLER = info -> info.statusCode() / 100 == 2
            ? HttpResponse.BodySubscribers.replacing("")
            : new ResponseExcerpt();

    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final byte[] kept = new byte[LIMIT + 1];
    private int size;

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int n = Math.min(b.remaining(), kept.length - size);
            b.get(kept, size, n);
            size += n;
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(text(kept, size));
    }

    /** One line of text: line breaks and runs of white space as one space, cut at {@link #LIMIT} bytes. */
    static String text(byte[] bytes, int size) {
        boolean cut = size > LIMIT;
        String s = new String(bytes, 0, Math.min(size, LIMIT), StandardCharsets.UTF_8)
                .replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return cut ? s + "..." : s;
    }
}
