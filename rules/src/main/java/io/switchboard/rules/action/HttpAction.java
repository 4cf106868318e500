package io.switchboard.rules.action;

import io.switchboard.rules.sql.SqlTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code http} action: POSTs each output, as JSON, to an endpoint whose URL and headers are substitution
 * templates, retrying with back-off, through a bounded queue (docs/rules.md, "Actions: http").
 *
 * <p><b>Threads.</b> {@link #run} may be called from any thread (the broker's event loops) and never blocks, nor
 * takes a lock: it renders the templates, admits the output or refuses it at once (queue full), adds it to a
 * lock-free queue and, if fewer than {@code concurrency} requests are in flight, hands the executor a task that
 * starts it (a fork-join pool, which takes a task without a lock: a ThreadPoolExecutor's queue takes one on every
 * offer, where an event loop could park under load). The JDK's {@link HttpClient} (HTTP/1.1, asynchronous) runs
 * on that executor, two daemon threads {@code sb-rule-http-N} that end when idle; the client's selector is a
 * daemon thread of the JDK's ({@code HttpClient-N-SelectorManager}), from construction to {@link #close} (on JDK
 * 21 and later) or until the closed action is collected (JDK 17 to 20, which cannot stop a client). Back-off
 * waits and the timeout of each attempt are tasks on one daemon thread {@code sb-rule-http-retry-N}: no thread
 * waits. A request holds its place among the {@code concurrency} from
 * its first attempt to its last, back-off included, so a failing endpoint is not sent more at once than a
 * healthy one. Stages complete on the executor's threads (or the caller's, when refused at once).
 *
 * <p><b>Bounds.</b> At most {@code queueSize} outputs wait and {@code concurrency} are in flight; beyond that
 * {@link #run} fails at once. Memory is bounded by those counts times the outputs' sizes.
 */
public final class HttpAction implements Action {
    static final String STOPPED = "the rule was stopped";

    private final SqlTemplate url;
    private final List<Header> headers = new ArrayList<>();
    private final boolean setsContentType;
    private final Duration timeout;
    private final int timeoutMillis;
    private final int retries;
    private final int backoffMillis;
    private final int queueSize;
    private final int concurrency;

    private final ForkJoinPool executor;
    private final ScheduledThreadPoolExecutor timers;
    private final HttpClient client;

    /** Outputs admitted and not started. */
    private final Queue<Delivery> waiting = new ConcurrentLinkedQueue<>();
    /** Outputs admitted and not finished: waiting and in flight. At most {@code queueSize + concurrency}. */
    private final AtomicInteger admitted = new AtomicInteger();
    /** Requests in flight (back-off waits included). At most {@code concurrency}. */
    private final AtomicInteger active = new AtomicInteger();
    /** The requests in flight, for {@link #close}. */
    private final Set<Delivery> started = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Builds the action and its client; the executor's and the timer's threads start with the first request. */
    public HttpAction(HttpActionConfig config) {
        this.url = Check.template("http.url", config.url());
        boolean contentType = false;
        for (var h : config.headers().entrySet()) {
            headers.add(new Header(h.getKey(), Check.template("http.headers." + h.getKey(), h.getValue())));
            contentType |= h.getKey().equalsIgnoreCase("Content-Type");
        }
        this.setsContentType = contentType;
        this.timeoutMillis = config.timeoutMillis();
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.retries = config.retries();
        this.backoffMillis = config.backoffMillis();
        this.queueSize = config.queueSize();
        this.concurrency = config.concurrency();

        this.executor = new ForkJoinPool(2, ActionThreads.httpPool(), null, true);
        this.timers = new ScheduledThreadPoolExecutor(1, ActionThreads.httpRetry());
        timers.setKeepAliveTime(30, TimeUnit.SECONDS);
        timers.allowCoreThreadTimeOut(true);
        // a timeout is cancelled by nearly every request: do not keep it until it would have fired
        timers.setRemoveOnCancelPolicy(true);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Override
    public String kind() {
        return "http";
    }

    /**
     * Renders the URL and headers against the message and queues the POST. Never blocks; fails at once when the
     * templates cannot be rendered, the URL is not http(s), the queue is full or the action is closed.
     */
    @Override
    public CompletionStage<Void> run(ActionInput input) {
        if (closed) {
            return CompletableFuture.failedFuture(new ActionFailure(STOPPED));
        }
        Delivery d;
        try {
            d = new Delivery(request(input));
        } catch (ActionFailure f) {
            return CompletableFuture.failedFuture(f);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ActionFailure("cannot make the request: " + e, e));
        }
        if (!admit()) {
            return CompletableFuture.failedFuture(new ActionFailure("queue full (" + queueSize
                    + " waiting): the endpoint is slower than the messages"));
        }
        waiting.offer(d);
        if (closed) {
            failWaiting(); // close() may have emptied the queue before this offer
        } else if (active.get() < concurrency) {
            // started on the executor: the client's sendAsync is not known to be free of locks
            try {
                executor.execute(this::dispatch);
            } catch (RejectedExecutionException e) {
                failWaiting(); // closed meanwhile
            }
        }
        return d.result;
    }

    /** Fails what waits and what is in flight ({@value #STOPPED}); threads end. Idempotent; does not wait. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        failWaiting();
        for (Delivery d : started) {
            d.result.completeExceptionally(new ActionFailure(STOPPED));
            CompletableFuture<?> exchange = d.exchange;
            if (exchange != null) {
                exchange.cancel(true);
            }
            release(d);
        }
        timers.shutdownNow();
        stopClient();
        // not shutdownNow: the client may still hand the executor the end of a cancelled exchange
        executor.shutdown();
    }

    /** Stops the client's selector thread where the JDK can (21 and later); this module is built for 17. */
    private void stopClient() {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (ReflectiveOperationException e) {
            // JDK 17 to 20: the selector ends when the client is collected
        }
    }

    /** The request for one output: templates rendered, URL checked. */
    private HttpRequest request(ActionInput input) {
        String target;
        try {
            target = url.render(input.message());
        } catch (IllegalArgumentException e) {
            throw new ActionFailure("cannot render the URL: " + e.getMessage());
        }
        URI uri = HttpTarget.uri(target);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(input.output()));
        if (!setsContentType) {
            b.header("Content-Type", "application/json");
        }
        for (Header h : headers) {
            String value;
            try {
                value = h.value.render(input.message());
            } catch (IllegalArgumentException e) {
                throw new ActionFailure("cannot render the header " + h.name + ": " + e.getMessage());
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new ActionFailure("the header " + h.name + " has a line break after substitution");
            }
            try {
                b.header(h.name, value);
            } catch (IllegalArgumentException e) {
                throw new ActionFailure("cannot send the header " + h.name + ": " + e.getMessage());
            }
        }
        return b.build();
    }

    /** Takes a place among the admitted, if one is free. */
    private boolean admit() {
        int limit = queueSize + concurrency;
        while (true) {
            int n = admitted.get();
            if (n >= limit) {
                return false;
            }
            if (admitted.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * Starts waiting outputs while fewer than {@code concurrency} are in flight, on the executor's threads (or the
     * timer's, or the closing thread). Run after an output is queued and after a request ends. Whoever queues
     * reads {@code active} after its offer and whoever frees a place reads the queue after its decrement, so one of
     * them sees the other and nothing is left waiting.
     */
    private void dispatch() {
        while (!waiting.isEmpty()) {
            int a = active.get();
            if (a >= concurrency) {
                return;
            }
            if (!active.compareAndSet(a, a + 1)) {
                continue;
            }
            Delivery d = waiting.poll();
            if (d == null) {
                active.decrementAndGet(); // another thread took it; look again
                continue;
            }
            if (closed) {
                active.decrementAndGet();
                admitted.decrementAndGet();
                d.result.completeExceptionally(new ActionFailure(STOPPED));
                continue;
            }
            started.add(d);
            attempt(d);
        }
    }

    private void attempt(Delivery d) {
        if (closed) {
            finish(d, new ActionFailure(STOPPED));
            return;
        }
        d.attempts++;
        AtomicBoolean timedOut = new AtomicBoolean();
        try {
            CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(d.request, ResponseExcerpt.HANDLER);
            d.exchange = exchange;
            // the request's own timeout ends at the response's headers; this one covers the body too
            ScheduledFuture<?> guard = timers.schedule(() -> {
                timedOut.set(true);
                exchange.cancel(true);
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            exchange.whenComplete((response, error) -> {
                guard.cancel(false);
                outcome(d, response, error, timedOut.get());
            });
        } catch (RejectedExecutionException e) {
            finish(d, new ActionFailure(STOPPED)); // closed while starting
        } catch (RuntimeException e) {
            finish(d, new ActionFailure("cannot send to " + d.request.uri() + ": " + e));
        }
    }

    private void outcome(Delivery d, HttpResponse<String> response, Throwable error, boolean timedOut) {
        d.exchange = null;
        if (d.result.isDone()) {
            release(d); // closed meanwhile
            return;
        }
        long retryAfterMillis = 0;
        if (error == null) {
            int code = response.statusCode();
            if (code / 100 == 2) {
                finish(d, null);
                return;
            }
            String body = response.body() == null || response.body().isEmpty() ? "" : ": " + response.body();
            if (!HttpTarget.retryable(code)) {
                finish(d, new ActionFailure("HTTP " + HttpTarget.status(code) + " from " + d.request.uri()
                        + (d.attempts > 1 ? " (attempt " + d.attempts + ")" : "") + body));
                return;
            }
            d.last = "HTTP " + code;
            d.lastBody = body;
            d.timedOut = false;
            retryAfterMillis = Backoff.retryAfterMillis(response);
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            d.lastBody = "";
            // cancelled: by the guard above (close() cancels only what it has already failed)
            d.timedOut = timedOut || cause instanceof HttpTimeoutException || cause instanceof CancellationException;
            d.last = HttpTarget.describe(cause, d.request.uri());
        }
        if (d.attempts > retries) {
            String attempts = d.attempts + (d.attempts == 1 ? " attempt" : " attempts");
            finish(d, new ActionFailure(d.timedOut
                    ? "timed out after " + timeoutMillis + " ms, " + attempts + " (" + d.request.uri() + ")"
                    : d.last + " after " + attempts + " (" + d.request.uri() + ")" + d.lastBody));
            return;
        }
        long wait = Math.max(Backoff.millis(backoffMillis, d.attempts, ThreadLocalRandom.current().nextDouble()),
                Math.min(retryAfterMillis, Backoff.MAX_MILLIS));
        try {
            timers.schedule(() -> attempt(d), wait, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            finish(d, new ActionFailure(STOPPED));
        }
    }

    /** Ends a started request: completes its stage (unless already) and frees its place. */
    private void finish(Delivery d, ActionFailure failure) {
        if (failure == null) {
            d.result.complete(null);
        } else {
            d.result.completeExceptionally(failure);
        }
        release(d);
    }

    /** Frees a started request's place, once, and starts the next. */
    private void release(Delivery d) {
        if (started.remove(d)) {
            active.decrementAndGet();
            admitted.decrementAndGet();
            dispatch();
        }
    }

    private void failWaiting() {
        Delivery d;
        while ((d = waiting.poll()) != null) {
            admitted.decrementAndGet();
            d.result.completeExceptionally(new ActionFailure(STOPPED));
        }
    }

    private record Header(String name, SqlTemplate value) {
    }

    /** One output on its way: its request, its stage, its attempts. */
    private static final class Delivery {
        final HttpRequest request;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        /** Touched by one attempt at a time: each starts after the previous one ended. */
        int attempts;
        /** What the last attempt got: "HTTP 503", "cannot connect: ...", unless it timed out. */
        String last;
        String lastBody;
        boolean timedOut;
        volatile CompletableFuture<?> exchange;

        Delivery(HttpRequest request) {
            this.request = request;
        }
    }
}
