package io.switchboard.conformance.fuzz;

import io.switchboard.codec.MqttVersion;
import io.switchboard.codec.packet.MqttPacket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * What one fuzz connection sends, decided entirely by the run's seed and the connection's index,
 * so a connection named in a failure can be regenerated and shown byte for byte.
 *
 * <p>A quarter of the connections send a broken packet instead of CONNECT; the rest send a valid
 * CONNECT (and sometimes a valid SUBSCRIBE), then up to 30 packets of which about half are broken
 * and the others valid. The connection stops early when the broker closes it.
 *
 * @param pipelined whether the steps are written back to back; otherwise the fuzzer waits after each
 *     step until the broker has read it (see {@link Fuzzer})
 * @param reset whether the connection ends with a TCP reset rather than an orderly close
 */
record ConnectionPlan(long index, MqttVersion version, List<Step> steps, boolean pipelined, boolean reset) {
    /** Bytes written in one go: one packet, valid or broken ({@code fuzz}), described by {@code what}. */
    record Step(byte[] bytes, boolean fuzz, String what) {
    }

    static ConnectionPlan of(long seed, long index) {
        Random rnd = new Random(mix(seed, index));
        int v = rnd.nextInt(100);
        MqttVersion version = v < 45 ? MqttVersion.V5 : v < 90 ? MqttVersion.V3_1_1 : MqttVersion.V3_1;
        PacketFactory packets = new PacketFactory(rnd, version);
        Mutator mutator = new Mutator(rnd);
        BadProperties badProperties = new BadProperties(rnd);
        List<Step> steps = new ArrayList<>();
        if (rnd.nextInt(100) < 25) {
            steps.add(broken(rnd, packets, mutator, badProperties, true));
            for (int i = rnd.nextInt(3); i > 0; i--) {
                steps.add(rnd.nextBoolean() ? broken(rnd, packets, mutator, badProperties, false)
                        : valid(packets, packets.clientPacket()));
            }
        } else {
            steps.add(valid(packets, packets.connect()));
            if (rnd.nextInt(100) < 40) {
                steps.add(valid(packets, packets.subscribe()));
            }
            for (int i = 1 + rnd.nextInt(30); i > 0; i--) {
                steps.add(rnd.nextInt(100) < 55 ? broken(rnd, packets, mutator, badProperties, false)
                        : valid(packets, packets.clientPacket()));
            }
        }
        return new ConnectionPlan(index, version, List.copyOf(steps), rnd.nextInt(100) < 20, rnd.nextBoolean());
    }

    private static Step valid(PacketFactory packets, MqttPacket p) {
        return new Step(packets.encode(p), false, p.type() + " (valid)");
    }

    /** A broken packet: random bytes, a broken property section, or a valid packet mutated. */
    private static Step broken(Random rnd, PacketFactory packets, Mutator mutator, BadProperties badProperties,
            boolean first) {
        int r = rnd.nextInt(100);
        if (r < 10) {
            byte[] b = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 200)];
            rnd.nextBytes(b);
            return new Step(b, true, "random bytes");
        }
        if (r < 25) {
            BadProperties.Result bad = badProperties.packet();
            return new Step(bad.bytes(), true, "bad properties: " + bad.what());
        }
        MqttPacket base = first && rnd.nextInt(100) < 70 ? packets.connect() : packets.anyPacket();
        Mutator.Mutation m = mutator.mutate(packets.encode(base));
        return new Step(m.bytes(), true, base.type() + " " + packets.version() + " / " + m.kind());
    }

    /** SplitMix64 of seed and index: neighbouring indexes get unrelated streams. */
    private static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Every step in hex, for a failure report (long packets are cut at 256 bytes). */
    String describe(long seed) {
        StringBuilder sb = new StringBuilder("connection #").append(index).append(" of seed ").append(seed)
                .append(" (MQTT ").append(version).append(pipelined ? ", pipelined" : ", a PINGREQ after each step")
                .append(", ends with ").append(reset ? "a reset" : "a close")
                .append("; steps after the broker closed it were not sent):");
        HexFormat hex = HexFormat.ofDelimiter(" ");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            byte[] b = s.bytes();
            sb.append("\n  ").append(i + 1).append(". ").append(s.what()).append(", ").append(b.length)
                    .append(" bytes: ")
                    .append(hex.formatHex(b, 0, Math.min(b.length, 256))).append(b.length > 256 ? " ..." : "");
        }
        return sb.toString();
    }
}
