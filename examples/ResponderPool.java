import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.Reply;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import io.switchboard.rpc.ServeOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A pool of three responders sharing one subscription group ($share/resize-pool/jobs/resize): the
 * broker gives each request to one of them. 30 calls; each reply says who served it.
 *
 * Run (with a broker on localhost:1883, e.g. ./switchboard broker):
 *   examples/run ResponderPool [--host H] [--port P]
 */
public class ResponderPool {
    public static void main(String[] args) {
        String host = arg(args, "--host", "localhost");
        int port = Integer.parseInt(arg(args, "--port", "1883"));
        List<RpcClient> workers = new ArrayList<>();
        try (RpcClient backend = RpcClient.builder().host(host).port(port).connect()) {
            for (int i = 1; i <= 3; i++) {
                String name = "worker-" + i;
                RpcClient w = RpcClient.builder().host(host).port(port).clientId(name).connect();
                workers.add(w);
                w.serve("jobs/resize", request -> Response.of(name + " resized " + request.payloadAsString()),
                        ServeOptions.defaults().withGroup("resize-pool"));
            }
            List<CompletableFuture<Reply>> calls = new ArrayList<>();
            for (int job = 1; job <= 30; job++) {
                calls.add(backend.call("jobs/resize", ("image-" + job + ".png").getBytes(StandardCharsets.UTF_8),
                        CallOptions.defaults()));
            }
            Map<String, Integer> perWorker = new TreeMap<>();
            for (CompletableFuture<Reply> c : calls) {
                String who = c.join().payloadAsString().split(" ")[0];
                perWorker.merge(who, 1, Integer::sum);
            }
            System.out.println("30 jobs served: " + perWorker);
        } finally {
            workers.forEach(RpcClient::close);
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
