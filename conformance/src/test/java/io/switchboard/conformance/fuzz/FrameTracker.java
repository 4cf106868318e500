package io.switchboard.conformance.fuzz;

import java.nio.ByteBuffer;

/**
 * Follows the packet boundaries of one direction of a connection from the fixed headers alone, as
 * the broker's frame decoder reads them: whether the stream stands between two packets, and whether
 * the broker must already have given up on it (a Remaining Length of more than four bytes, or a
 * declared size over its limit, which it refuses before reading the body). Used on the fuzzer's own
 * output, to know when a PINGREQ would be read as a packet of its own and to count the PINGREQs; and
 * on the broker's output, to count the PINGRESPs.
 */
final class FrameTracker {
    private static final int PINGREQ = 0xC0;
    private static final int PINGRESP = 0xD0;

    private final long maxPacketSize;
    private int first = -1;
    private int lengthBytes;
    private int length;
    private long bodyLeft;
    private boolean failed;
    private long pingreqs;
    private long pingresps;

    FrameTracker(long maxPacketSize) {
        this.maxPacketSize = maxPacketSize;
    }

    void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    void feed(ByteBuffer in) {
        while (in.hasRemaining() && !failed) {
            if (bodyLeft > 0) {
                int n = (int) Math.min(bodyLeft, in.remaining());
                in.position(in.position() + n);
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    complete();
                }
                continue;
            }
            int b = in.get() & 0xFF;
            if (first < 0) {
                first = b;
                lengthBytes = 0;
                length = 0;
                continue;
            }
            length |= (b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) != 0) {
                failed = lengthBytes == 4; // a fifth length byte: Malformed, at once
                continue;
            }
            if (1L + lengthBytes + length > maxPacketSize) {
                failed = true; // refused from the fixed header alone
            } else if (length == 0) {
                complete();
            } else {
                bodyLeft = length;
            }
        }
    }

    private void complete() {
        if (first == PINGREQ && length == 0) {
            pingreqs++;
        } else if (first == PINGRESP) {
            pingresps++;
        }
        first = -1;
    }

    /** Between two packets: the next byte is read as the first byte of a packet. */
    boolean atBoundary() {
        return !failed && first < 0 && bodyLeft == 0;
    }

    /** The broker's frame decoder has already refused this stream. */
    boolean failed() {
        return failed;
    }

    /** Well-formed PINGREQ packets seen (on the fuzzer's output): each is answered unless the broker closes. */
    long pingreqs() {
        return pingreqs;
    }

    /** Completed PINGRESP packets seen (on the broker's output). */
    long pingresps() {
        return pingresps;
    }
}
