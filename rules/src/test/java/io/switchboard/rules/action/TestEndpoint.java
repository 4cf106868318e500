package io.switchboard.rules.action;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 (a free port) that records each request and answers with the status its
 * script gives for that request's number (1 for the first); it may hold every answer until {@link #release}.
 */
final class TestEndpoint implements AutoCloseable {
    record Received(String method, String path, Headers headers, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch released;

    private TestEndpoint(IntFunction<Integer> status, boolean hold) throws IOException {
        this.released = new CountDownLatch(hold ? 1 : 0);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads); // a held answer must not stop the others
        server.createContext("/", exchange -> answer(exchange, status));
        server.start();
    }

    /** Answers with {@code status.apply(n)} to the n-th request. */
    static TestEndpoint scripted(IntFunction<Integer> status) throws IOException {
        return new TestEndpoint(status, false);
    }

    /** Answers 200 to every request, once {@link #release} is called. */
    static TestEndpoint held() throws IOException {
        return new TestEndpoint(n -> 200, true);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void release() {
        released.countDown();
    }

    private void answer(HttpExchange exchange, IntFunction<Integer> status) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int n;
        synchronized (received) {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders(), body));
            n = received.size();
        }
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = status.apply(n);
        byte[] answer = code / 100 == 2 ? new byte[0]
                : ("{\"error\": \"status " + code + "\",\n \"request\": " + n + "}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
