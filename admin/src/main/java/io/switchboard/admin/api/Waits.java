package io.switchboard.admin.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.http.ApiException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A worker thread waiting for the broker (a session's loop, the storage), bounded. */
final class Waits {
    static final long SECONDS = 10;

    private Waits() {
    }

    static <T> T get(CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get(SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "timeout",
                    "the broker did not answer within " + SECONDS + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ApiException a) {
                throw a;
            }
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                    "the broker could not do it: " + c);
        }
    }
}
