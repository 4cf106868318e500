package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.codec.MqttCodec;
import io.switchboard.codec.MqttFrameDecoder;
import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.PacketType;
import io.switchboard.codec.packet.MqttPacket;
import io.switchboard.codec.packet.Payload;
import io.switchboard.codec.packet.PublishPacket;
import io.switchboard.codec.property.Properties;
import io.switchboard.codec.wire.VariableByteInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decoding and encoding one PUBLISH, as the broker does for every message in and every copy out.
 *
 * <ul>
 *   <li>{@code decodeFrame}: the bytes of one whole packet, as one network read delivers them, through
 *       {@link MqttFrameDecoder} in a channel pipeline (fixed header, size check, slice, decoder).
 *   <li>{@code decodePacket}: the same packet's body through {@link MqttCodec#decode} alone: the
 *       decoder without the framing and the pipeline.
 *   <li>{@code encode}: {@link MqttCodec#encode} of the packet into a buffer, released at once.
 * </ul>
 *
 * <p>All buffers come from {@link ByteBufAllocator#DEFAULT}, the allocator the broker's channels use.
 * Every buffer a benchmark takes is released in it; the tear-down fails if the input buffer's
 * reference count shows a leak.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PublishCodecBenchmark {

    /** The packet under test: the protocol version and whether it carries the request/response properties. */
    public enum Variant {
        V5_PLAIN(MqttVersion.V5, false),
        V5_REQUEST_RESPONSE(MqttVersion.V5, true),
        V3_1_1_PLAIN(MqttVersion.V3_1_1, false);

        final MqttVersion version;
        final boolean requestResponse;

        Variant(MqttVersion version, boolean requestResponse) {
            this.version = version;
            this.requestResponse = requestResponse;
        }
    }

    private static final String TOPIC = "devices/door-42/state";
    private static final int PACKET_ID = 4711;
    /** The broker's default mqtt.maxPacketSize. */
    private static final int MAX_PACKET_SIZE = 1_048_576;

    @Param
    public Variant variant;

    /** Payload bytes: a small telemetry message, and 1 KiB, from which the encoder wraps instead of copying. */
    @Param({"64", "1024"})
    public int payloadSize;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private MqttVersion version;
    private PublishPacket packet;
    /** One whole packet on the wire, in one contiguous buffer as a socket read delivers it. */
    private ByteBuf wire;
    /** The packet's body within {@link #wire}: what the frame decoder hands the PUBLISH decoder. */
    private ByteBuf body;
    private int flags;
    private EmbeddedChannel channel;

    @Setup
    public void setUp() {
        version = variant.version;
        packet = publish(variant.requestResponse, payloadSize);

        ByteBuf encoded = MqttCodec.encode(packet, version, alloc);
        wire = alloc.ioBuffer(encoded.readableBytes());
        wire.writeBytes(encoded);
        encoded.release();

        ByteBuf header = wire.duplicate();
        flags = header.readUnsignedByte() & 0x0F;
        int remaining = VariableByteInteger.tryRead(header, "remaining length");
        body = header.readSlice(remaining);

        // The server learns the version from CONNECT; giving it here is the state after CONNECT.
        channel = new EmbeddedChannel(new MqttFrameDecoder(MAX_PACKET_SIZE, version));

        // The benchmarks must decode what was encoded, or they measure the wrong thing.
        check(decodeFrame(), "decodeFrame");
        check(decodePacket(), "decodePacket");
    }

    private void check(MqttPacket decoded, String benchmark) {
        if (!packet.equals(decoded)) {
            throw new IllegalStateException(benchmark + " decoded " + decoded + ", expected " + packet);
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        int refCnt = wire.refCnt();
        wire.release();
        if (refCnt != 1) {
            throw new IllegalStateException("input buffer leaked: reference count " + refCnt + " at the end, expected 1");
        }
    }

    @Benchmark
    public MqttPacket decodeFrame() {
        // The decoder releases the buffer it consumed, as it would a socket read: retain it first.
        wire.retain().readerIndex(0);
        channel.writeInbound(wire);
        return channel.readInbound();
    }

    @Benchmark
    public MqttPacket decodePacket() {
        body.readerIndex(0);
        return MqttCodec.decode(PacketType.PUBLISH, flags, body, version);
    }

    @Benchmark
    public int encode() {
        ByteBuf buf = MqttCodec.encode(packet, version, alloc);
        int size = buf.readableBytes();
        buf.release();
        return size;
    }

    /** QoS 1 PUBLISH; with the request/response properties a requester sends in 5.0 when it asks. */
    static PublishPacket publish(boolean requestResponse, int payloadSize) {
        Random random = new Random(42);
        byte[] payload = new byte[payloadSize];
        random.nextBytes(payload);
        Properties properties = Properties.EMPTY;
        if (requestResponse) {
            byte[] correlationData = new byte[16];
            random.nextBytes(correlationData);
            properties = Properties.builder()
                    .responseTopic("replies/backend-7/door-service")
                    .correlationData(correlationData)
                    .contentType("application/json")
                    .userProperty("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
                    .userProperty("tenant", "acme")
                    .build();
        }
        return new PublishPacket(TOPIC, 1, false, false, PACKET_ID, properties, Payload.wrap(payload));
    }
}
