import io.switchboard.rpc.CallOptions;
import io.switchboard.rpc.Response;
import io.switchboard.rpc.RpcClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebRTC-style offer/answer exchange: a viewer sends its SDP offer to a camera, which answers with
 * its SDP answer (content type application/sdp both ways). A real camera would hand the offer to its
 * WebRTC stack; this one builds a minimal answer.
 *
 * Run (with a broker on localhost:1883, e.g. ./switchboard broker):
 *   examples/run WebRtcOffer [--host H] [--port P]
 */
public class WebRtcOffer {
    public static void main(String[] args) {
        String host = arg(args, "--host", "localhost");
        int port = Integer.parseInt(arg(args, "--port", "1883"));
        try (RpcClient camera = RpcClient.builder().host(host).port(port).clientId("cam-1").connect();
                RpcClient viewer = RpcClient.builder().host(host).port(port).connect()) {
            camera.serve("webrtc/cam-1/offer", request -> {
                String offer = request.payloadAsString();
                String session = offer.lines().filter(l -> l.startsWith("o=")).findFirst().orElse("o=- 0 0 IN IP4 0.0.0.0");
                String answer = String.join("\r\n", "v=0", session.replace("viewer", "cam-1"), "s=-", "t=0 0",
                        "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=sendonly",
                        "a=rtpmap:96 H264/90000", "");
                return Response.of(answer.getBytes(StandardCharsets.UTF_8)).withContentType("application/sdp");
            });
            String offer = String.join("\r\n", "v=0", "o=viewer 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                    "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=recvonly", "a=rtpmap:96 H264/90000", "");
            var reply = viewer.callBlocking("webrtc/cam-1/offer", offer.getBytes(StandardCharsets.UTF_8),
                    CallOptions.defaults().withContentType("application/sdp").withTimeout(Duration.ofSeconds(5)));
            System.out.println("answer (" + reply.contentType().orElse("?") + "):");
            System.out.print(reply.payloadAsString().replace("\r\n", "\n"));
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
