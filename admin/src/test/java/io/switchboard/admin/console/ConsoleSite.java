package io.switchboard.admin.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the browser finds the console. TEMPORARY: until AdminServer lands on main, a JDK HTTP server
 * on a free loopback port serves the console's files from the class path (as AdminServer will, at
 * /console/) and stands in for the two API calls the MQTT pages need: whoami (local access, admin) and
 * the console's MQTT credential (the broker's ws listener; the test broker lets anyone connect). Once
 * AdminServer is there, this class starts it instead and the stand-ins go.
 */
final class ConsoleSite implements AutoCloseable {
    private static final String ROOT = "io/switchboard/admin/console/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "md", "text/markdown; charset=utf-8",
            "png", "image/png", "svg", "image/svg+xml");

    private final HttpServer server;
    private final AtomicInteger credentials = new AtomicInteger();

    private ConsoleSite(HttpServer server) {
        this.server = server;
    }

    /** The console of {@code broker}, whose listener named "ws" the browser's MQTT connection uses. */
    static ConsoleSite start(EmbeddedBroker broker) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ConsoleSite site = new ConsoleSite(s);
            s.createContext("/console/", site::file);
            s.createContext("/api/v1/whoami", ex -> json(ex, 200,
                    "{\"user\":null,\"role\":\"admin\",\"via\":\"local\",\"signInRequired\":false}"));
            s.createContext("/api/v1/console/mqtt-credential", ex -> json(ex, 200, """
                    {"url":"ws://127.0.0.1:%d/mqtt","clientId":"console-%d-%s","username":"console","password":"%s",
                     "expiresAt":"%s"}""".formatted(broker.port("ws"), site.credentials.incrementAndGet(),
                    UUID.randomUUID().toString().substring(0, 8), UUID.randomUUID(), Instant.now().plusSeconds(300))));
            s.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many MQTT credentials the console asked for. */
    int credentialsMinted() {
        return credentials.get();
    }

    /** The URL of the console's page at a hash route, e.g. {@code #/test-client}. */
    String console(String hash) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/console/" + hash;
    }

    private void file(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring("/console/".length());
        if (path.isEmpty()) {
            path = "index.html";
        }
        if (path.contains("..")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        try (InputStream in = ConsoleSite.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = in.readAllBytes();
            String ext = path.substring(path.lastIndexOf('.') + 1);
            ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
