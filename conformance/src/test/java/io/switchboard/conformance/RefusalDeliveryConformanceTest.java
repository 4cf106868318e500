package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.broker.config.MqttConfig;
import io.switchboard.codec.MqttFrameDecoder;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.ReasonCode;
import io.switchboard.codec.packet.ConnackPacket;
import io.switchboard.codec.packet.ConnectPacket;
import io.switchboard.codec.packet.DisconnectPacket;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.PubrecPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.testkit.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * [MQTT-4.13.1-1] a refused client must be able to read the reason code even if it is still
 * sending: the broker half-closes after its DISCONNECT and reads (and ignores) what follows, instead
 * of closing both ways, which makes the kernel reset the connection and discard the unread DISCONNECT
 * on the client's side. Found by the Eclipse Paho suite's test_flow_control2.
 */
class RefusalDeliveryConformanceTest {

    @RegisterExtension
    static EmbeddedBroker broker = new EmbeddedBroker(cfg -> cfg.withMqtt(
            new MqttConfig(null, 2, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));

    @Test
    @DisplayName("5.0: a client still sending after DISCONNECT 0x93 reads the DISCONNECT, then end of stream")
    void disconnectReachesAClientThatKeepsSending() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", broker.port()));
            s.setSoTimeout(10_000);
            MqttVersion v = MqttVersion.V5;
            // CONNECT, three QoS 2 PUBLISHes (the third exceeds Receive Maximum 2), and right behind
            // them 2 MB more, so the broker still has input it has not read when it refuses us.
            byte[] big = Conformance.bytes(Conformance.publishPacket("refusal/t", 0, false, 0,
                    "x".repeat(1_000_000)), v);
            s.getOutputStream().write(Conformance.concat(
                    Conformance.bytes(new ConnectPacket(v, true, 0, "refusal-reader", null, null, null,
                            Properties.EMPTY), v),
                    Conformance.bytes(Conformance.publishPacket("refusal/t", 2, false, 1, "a"), v),
                    Conformance.bytes(Conformance.publishPacket("refusal/t", 2, false, 2, "b"), v),
                    Conformance.bytes(Conformance.publishPacket("refusal/t", 2, false, 3, "c"), v),
                    big, big));
            List<MqttPacket> packets = decodeAll(readToEnd(s.getInputStream()), v);
            assertThat(packets).hasSize(4);
            assertThat(packets.get(0)).isInstanceOf(ConnackPacket.class);
            assertThat(packets.get(1)).isInstanceOf(PubrecPacket.class);
            assertThat(packets.get(2)).isInstanceOf(PubrecPacket.class);
            assertThat(((DisconnectPacket) packets.get(3)).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) { // a reset here (instead of end of stream) fails the test
            all.write(buf, 0, n);
        }
        return all.toByteArray();
    }

    private static List<MqttPacket> decodeAll(byte[] bytes, MqttVersion v) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttFrameDecoder(Integer.MAX_VALUE, v));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<MqttPacket> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((MqttPacket) o);
        }
        ch.finishAndReleaseAll();
        return out;
    }
}
