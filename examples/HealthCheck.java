import com.sun.net.httpserver.HttpServer;
import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.NoResponderException;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.RpcTimeoutException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * A web service that asks a device for a health check. GET /devices/{id}/health calls the device
 * over MQTT and answers with its reply: 200 with the device's JSON, 503 when no device listens (at
 * once, not after a timeout), 504 when it does not answer in time.
 *
 * Run (with a broker on localhost:1883, e.g. ./switchboard broker):
 *   examples/run HealthCheck [--host H] [--port P]
 */
public class HealthCheck {
    record Health(String device, int batteryPercent, long uptimeSeconds, String status) {
    }

    record Ask(String detail) {
    }

    public static void main(String[] args) throws Exception {
        String host = arg(args, "--host", "localhost");
        int port = Integer.parseInt(arg(args, "--port", "1883"));
        try (RpcClient device = RpcClient.builder().host(host).port(port).clientId("pump-7").connect();
                RpcClient backend = RpcClient.builder().host(host).port(port).connect()) {
            // The device: answers its health check.
            device.serve("devices/pump-7/health", request -> Response.json(new Health("pump-7", 87, 86_400, "ok")));

            // The web service.
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/devices/", exchange -> {
                String[] parts = exchange.getRequestURI().getPath().split("/"); // "", devices, {id}, health
                int status;
                String body;
                try {
                    Health h = backend.callJson("devices/" + parts[2] + "/health", new Ask("full"), Health.class,
                            CallOptions.defaults().withTimeout(Duration.ofSeconds(3))).join();
                    status = 200;
                    body = "{\"device\":\"" + h.device() + "\",\"battery\":" + h.batteryPercent() + ",\"status\":\""
                            + h.status() + "\"}";
                } catch (RuntimeException e) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    status = cause instanceof NoResponderException ? 503 : cause instanceof RpcTimeoutException ? 504 : 502;
                    body = "{\"error\":\"" + String.valueOf(cause.getMessage()).replace("\"", "'") + "\"}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            http.start();
            int httpPort = http.getAddress().getPort();
            System.out.println("web service on http://127.0.0.1:" + httpPort);

            // A browser, or curl, asks the web service.
            HttpClient web = HttpClient.newHttpClient();
            for (String id : new String[] {"pump-7", "pump-8"}) {
                long start = System.nanoTime();
                HttpResponse<String> r = web.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/devices/" + id + "/health"))
                        .timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.printf("GET /devices/%s/health -> %d %s (%.0f ms)%n", id, r.statusCode(), r.body(),
                        (System.nanoTime() - start) / 1e6);
            }
            http.stop(0);
        }
    }

    static String arg(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }
}
