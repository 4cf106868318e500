import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import java.util.Map;

/**
 * Asks a camera for its configuration with an empty request payload; the camera answers with JSON.
 *
 * Run (with a broker on localhost:1883, e.g. ./switchboard broker):
 *   examples/run ConfigQuery [--host H] [--port P]
 */
public class ConfigQuery {
    record Config(String resolution, int fps, boolean nightMode) {
    }

    public static void main(String[] args) {
        String host = arg(args, "--host", "localhost");
        int port = Integer.parseInt(arg(args, "--port", "1883"));
        try (RpcClient camera = RpcClient.builder().host(host).port(port).clientId("cam-1").connect();
                RpcClient backend = RpcClient.builder().host(host).port(port).connect()) {
            camera.serve("devices/cam-1/config", request -> Response.json(new Config("1920x1080", 30, true)));
            // An empty payload: the topic says what is asked.
            Config c = backend.callBlocking("devices/cam-1/config", new byte[0], CallOptions.defaults()).json(Config.class);
            System.out.println("cam-1 config: " + c);
            Map<?, ?> raw = backend.callBlocking("devices/cam-1/config", new byte[0], CallOptions.defaults()).json(Map.class);
            System.out.println("as JSON: " + raw);
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
