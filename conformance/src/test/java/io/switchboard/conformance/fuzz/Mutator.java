package io.switchboard.conformance.fuzz;

import io.switchboard.codec.PacketType;
import java.util.Arrays;
import java.util.Random;

/**
 * Breaks one encoded, well-formed packet: bit flips, bytes inserted, deleted, repeated or cut off, a
 * wrong fixed header, a wrong Remaining Length (too small, too large, not in its shortest form, five
 * bytes long), trailing bytes, ill-formed UTF-8 in a string, a Packet Identifier of 0. Each way has a
 * name, reported with the bytes when a fuzz run fails.
 */
final class Mutator {
    /** The ways a packet is broken. */
    enum Kind {
        BIT_FLIPS, RANDOM_BYTES, INSERT_BYTES, DELETE_BYTES, TRUNCATE, REPEAT_SLICE,
        RESERVED_FLAGS, OTHER_TYPE, LENGTH_TOO_SMALL, LENGTH_TOO_LARGE, LENGTH_NOT_SHORTEST,
        LENGTH_FIVE_BYTES, LENGTH_MAXIMUM, TRAILING_BYTES, BAD_UTF8, PACKET_ID_ZERO
    }

    /**
     * Ill-formed UTF-8 of three bytes, each replacing a {@link PacketFactory#MARK}: a surrogate, an
     * overlong NUL, U+0000, a five-byte lead, a truncated two-byte and four-byte sequence, a lone
     * continuation byte, a code point above U+10FFFF, an overlong slash.
     */
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0x80, 'a'}, {0, 'a', 'a'},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80}, {'a', (byte) 0xC3, 'a'}, {(byte) 0xF0, (byte) 0x9F, 'a'},
        {(byte) 0x80, 'a', 'a'}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
        {(byte) 0xFF, (byte) 0xFE, (byte) 0xFD},
    };
    private static final byte[] MARK = PacketFactory.MARK.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One broken packet and how it was broken. */
    record Mutation(Kind kind, byte[] bytes) {
    }

    private final Random rnd;

    Mutator(Random rnd) {
        this.rnd = rnd;
    }

    /** Breaks a packet in one way chosen at random. */
    Mutation mutate(byte[] packet) {
        Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
        byte[] broken = apply(kind, packet);
        return new Mutation(kind, broken.length > 0 ? broken : new byte[] {packet[0]});
    }

    byte[] apply(Kind kind, byte[] p) {
        Frame f = Frame.parse(p);
        return switch (kind) {
            case BIT_FLIPS -> flipBits(p, 1 + rnd.nextInt(8));
            case RANDOM_BYTES -> {
                byte[] b = p.clone();
                for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                yield b;
            }
            case INSERT_BYTES -> {
                int at = rnd.nextInt(p.length + 1);
                byte[] extra = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(extra);
                yield concat(Arrays.copyOf(p, at), extra, Arrays.copyOfRange(p, at, p.length));
            }
            case DELETE_BYTES -> {
                int at = rnd.nextInt(p.length);
                int n = Math.min(p.length - at, 1 + rnd.nextInt(16));
                yield concat(Arrays.copyOf(p, at), Arrays.copyOfRange(p, at + n, p.length));
            }
            case TRUNCATE -> Arrays.copyOf(p, 1 + rnd.nextInt(p.length - 1));
            case REPEAT_SLICE -> {
                int from = rnd.nextInt(p.length);
                int to = from + 1 + rnd.nextInt(p.length - from);
                int at = rnd.nextInt(p.length + 1);
                yield concat(Arrays.copyOf(p, at), Arrays.copyOfRange(p, from, to),
                        Arrays.copyOfRange(p, at, p.length));
            }
            case RESERVED_FLAGS -> {
                int flags = rnd.nextInt(16);
                if (flags == (f.first & 0x0F)) {
                    flags ^= 1 + rnd.nextInt(15);
                }
                yield f.withFirst(f.first & 0xF0 | flags).encode();
            }
            // The body of one packet under the fixed header of another (with that type's flags).
            case OTHER_TYPE -> {
                PacketType t = PacketType.values()[rnd.nextInt(PacketType.values().length)];
                int flags = t == PacketType.PUBLISH ? rnd.nextInt(16) : t.requiredFlags();
                yield f.withFirst(t.code() << 4 | flags).encode();
            }
            case LENGTH_TOO_SMALL -> f.withLength(f.body.length == 0 ? 0 : rnd.nextInt(f.body.length)).encode();
            case LENGTH_TOO_LARGE -> f.withLength(f.body.length + 1 + rnd.nextInt(chance(50) ? 8 : 100_000)).encode();
            case LENGTH_NOT_SHORTEST -> f.encode(varint(f.body.length, Math.max(2, varintSize(f.body.length) + 1
                    + rnd.nextInt(4 - Math.min(3, varintSize(f.body.length))))));
            case LENGTH_FIVE_BYTES -> f.encode(varint(f.body.length, 5));
            case LENGTH_MAXIMUM -> f.withLength(chance(50) ? 268_435_455 : 1 + rnd.nextInt(268_435_455)).encode();
            case TRAILING_BYTES -> {
                byte[] extra = new byte[1 + rnd.nextInt(8)];
                rnd.nextBytes(extra);
                yield f.withBody(concat(f.body, extra)).encode();
            }
            case BAD_UTF8 -> badUtf8(p);
            case PACKET_ID_ZERO -> packetIdZero(f);
        };
    }

    private byte[] flipBits(byte[] p, int bits) {
        byte[] b = p.clone();
        for (int i = 0; i < bits; i++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
    }

    /** Replaces one marker in a string with ill-formed UTF-8; without a marker, flips a bit. */
    private byte[] badUtf8(byte[] p) {
        int found = 0;
        int chosen = -1;
        for (int i = 0; i + MARK.length <= p.length; i++) {
            if (Arrays.equals(p, i, i + MARK.length, MARK, 0, MARK.length)) {
                found++;
                if (rnd.nextInt(found) == 0) {
                    chosen = i; // reservoir sampling: every marker equally likely
                }
            }
        }
        if (chosen < 0) {
            return flipBits(p, 1);
        }
        byte[] b = p.clone();
        System.arraycopy(BAD_UTF8[rnd.nextInt(BAD_UTF8.length)], 0, b, chosen, MARK.length);
        return b;
    }

    /** A Packet Identifier of 0 where the packet has one ([MQTT-2.2.1-3]); else a bit flip. */
    private byte[] packetIdZero(Frame f) {
        int type = f.first >>> 4;
        int at = -1;
        if (type == PacketType.PUBLISH.code() && (f.first & 0x06) != 0 && f.body.length >= 2) {
            at = 2 + ((f.body[0] & 0xFF) << 8 | (f.body[1] & 0xFF));
        } else if (type >= PacketType.PUBACK.code() && type <= PacketType.UNSUBACK.code()) {
            at = 0;
        }
        if (at < 0 || at + 2 > f.body.length) {
            return flipBits(f.encode(), 1);
        }
        byte[] body = f.body.clone();
        body[at] = 0;
        body[at + 1] = 0;
        return f.withBody(body).encode();
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    // ---- wire helpers ---------------------------------------------------------------------------

    /** A Variable Byte Integer in {@code size} bytes: its shortest form padded with 0x80 groups, or longer than 4. */
    static byte[] varint(int value, int size) {
        byte[] out = new byte[Math.max(size, varintSize(value))];
        int v = value;
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((v & 0x7F) | (i < out.length - 1 ? 0x80 : 0));
            v >>>= 7;
        }
        return out;
    }

    static byte[] varint(int value) {
        return varint(value, 1);
    }

    static int varintSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] part : parts) {
            n += part.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A packet split into its first byte, its declared Remaining Length and its body. */
    record Frame(int first, int length, byte[] body) {
        /** Parses a packet the codec encoded: well-formed, so no checks. */
        static Frame parse(byte[] p) {
            int length = 0;
            int i = 1;
            int shift = 0;
            while (true) {
                int b = p[i++] & 0xFF;
                length |= (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            return new Frame(p[0] & 0xFF, length, Arrays.copyOfRange(p, i, p.length));
        }

        Frame withFirst(int b) {
            return new Frame(b, length, body);
        }

        Frame withLength(int declared) {
            return new Frame(first, declared, body);
        }

        /** A new body with a Remaining Length that matches it. */
        Frame withBody(byte[] b) {
            return new Frame(first, b.length, b);
        }

        byte[] encode() {
            return encode(varint(length));
        }

        byte[] encode(byte[] lengthBytes) {
            return concat(new byte[] {(byte) first}, lengthBytes, body);
        }
    }
}
