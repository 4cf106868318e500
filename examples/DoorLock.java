import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.ResponderException;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import java.time.Duration;
import java.util.Set;

/**
 * A door lock whose unlock request carries the user's identity (user property "user") and whose
 * reply says whether the door opened: "opened", or an error reply "not-allowed" for someone the lock
 * does not know. Each request expires with its caller's timeout, so a lock that was offline never
 * opens for a request its caller gave up on.
 *
 * Run (with a broker on localhost:1883, e.g. ./switchboard broker):
 *   examples/run DoorLock [--host H] [--port P]
 */
public class DoorLock {
    public static void main(String[] args) {
        String host = arg(args, "--host", "localhost");
        int port = Integer.parseInt(arg(args, "--port", "1883"));
        Set<String> allowed = Set.of("alice", "bob");
        try (RpcClient lock = RpcClient.builder().host(host).port(port).clientId("door-7").connect();
                RpcClient app = RpcClient.builder().host(host).port(port).connect()) {
            lock.serve("doors/door-7/unlock", request -> {
                String user = request.userProperty("user").orElse("");
                if (!allowed.contains(user)) {
                    return Response.error("not-allowed", user + " may not open door-7");
                }
                System.out.println("  [door-7] unlocked for " + user + " (deadline " + request.deadline().orElseThrow() + ")");
                return Response.of("opened");
            });
            for (String user : new String[] {"alice", "mallory"}) {
                try {
                    String answer = app.callBlocking("doors/door-7/unlock", new byte[0], CallOptions.defaults()
                            .withTimeout(Duration.ofSeconds(5)).withUserProperty("user", user)).payloadAsString();
                    System.out.println(user + ": " + answer);
                } catch (ResponderException e) {
                    System.out.println(user + ": refused, " + e.code() + ": " + e.errorMessage());
                }
            }
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
