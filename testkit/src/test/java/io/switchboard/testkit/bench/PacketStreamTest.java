package io.switchboard.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PubackPacket;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PacketStreamTest {
    /** Hands out its bytes at most {@code chunk} at a time, as a socket may. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new InputStream() {
            private int at;

            @Override
            public int read() {
                return at < bytes.length ? bytes[at++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    private static byte[] publish(String topic, int packetId, int payloadSize) {
        return BenchClient.encode(new PublishPacket(topic, 1, false, false, packetId, Properties.EMPTY,
                Payload.wrap(new byte[payloadSize])));
    }

    @Test
    void readsWholePacketsWhateverTheChunksTheyArriveIn() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(publish("dc/7", 300, 100));
        all.writeBytes(BenchClient.encode(new PubackPacket(301)));
        all.writeBytes(publish("dc/7", 302, 200_000)); // four bytes of remaining length, larger than the buffer
        for (int chunk : new int[] {1, 3, 4096, Integer.MAX_VALUE}) {
            PacketStream s = new PacketStream(trickle(all.toByteArray(), chunk), new ByteArrayOutputStream());
            s.next();
            assertThat(s.type()).isEqualTo(3);
            assertThat(s.flags() >> 1 & 3).isEqualTo(1);
            assertThat(s.u16(2 + s.u16(0))).isEqualTo(300);
            s.next();
            assertThat(s.type()).isEqualTo(4);
            assertThat(s.u16(0)).isEqualTo(301);
            s.next();
            assertThat(s.u16(2 + s.u16(0))).isEqualTo(302);
            assertThat(s.bodyLength()).isEqualTo(2 + 4 + 2 + 1 + 200_000);
            assertThat(s.hasPacket()).isFalse();
            assertThatThrownBy(s::next).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void saysWhetherTheNextPacketIsAlreadyBuffered() throws Exception {
        ByteArrayOutputStream acks = new ByteArrayOutputStream();
        for (int id = 1; id <= 3; id++) {
            acks.writeBytes(BenchClient.encode(new PubackPacket(id))); // 4 bytes each
        }
        PacketStream s = new PacketStream(trickle(acks.toByteArray(), 6), new ByteArrayOutputStream());
        s.next(); // one read of 6 bytes: the first PUBACK and half of the second
        assertThat(s.hasPacket()).isFalse();
        s.next(); // the next read brings the rest of the second and all of the third
        assertThat(s.u16(0)).isEqualTo(2);
        assertThat(s.hasPacket()).isTrue();
        s.next();
        assertThat(s.u16(0)).isEqualTo(3);
    }

    @Test
    void findsThePacketIdentifierOfAnEncodedPublish() throws Exception {
        byte[] p = publish("dc/12", 1, 100);
        int at = DurabilityCost.packetIdOffset(p, "dc/12");
        p[at] = 0x12;
        p[at + 1] = 0x34;
        PacketStream s = new PacketStream(trickle(p, 1000), new ByteArrayOutputStream());
        s.next();
        assertThat(s.u16(2 + s.u16(0))).isEqualTo(0x1234);
    }
}
