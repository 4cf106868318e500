package io.switchboard.broker.logging;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Rate-limits log lines about connections (refusals, closes, failed TLS handshakes) per remote address: at most
 * {@link #LINES_PER_WINDOW} lines per address in each {@link #WINDOW_MILLIS} window; the first line
 * of the next window says how many were suppressed. A client that opens connections in a loop, or
 * a fuzzer, cannot flood the log. Any thread.
 */
public final class RateLimitedLog {
    static final int LINES_PER_WINDOW = 10;
    static final long WINDOW_MILLIS = 10_000;
    /** Addresses tracked at most; beyond this the oldest windows are forgotten. */
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Clock clock) {
        this.clock = clock;
    }

    private static final class Window {
        long start;
        int lines;
        long suppressed;
    }

    /**
     * Logs at INFO unless the address has used its lines in this window. The format's arguments
     * must already be escaped where they come from the client.
     */
    public void info(Logger log, SocketAddress remote, String format, Object... args) {
        InetAddress address = remote instanceof InetSocketAddress isa ? isa.getAddress() : null;
        if (address == null) {
            log.info(format, args);
            return;
        }
        long now = clock.millis();
        long suppressedBefore;
        synchronized (this) {
            if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
                windows.values().removeIf(w -> now - w.start >= WINDOW_MILLIS);
                if (windows.size() >= MAX_ADDRESSES) {
                    windows.clear();
                }
            }
            Window w = windows.computeIfAbsent(address, a -> new Window());
            if (now - w.start >= WINDOW_MILLIS) {
                suppressedBefore = w.suppressed;
                w.start = now;
                w.lines = 0;
                w.suppressed = 0;
            } else {
                suppressedBefore = 0;
            }
            if (w.lines >= LINES_PER_WINDOW) {
                w.suppressed++;
                return;
            }
            w.lines++;
        }
        if (suppressedBefore > 0) {
            log.info("{} more lines about connections from {} were suppressed in the last {} s", suppressedBefore,
                    address.getHostAddress(), WINDOW_MILLIS / 1000);
        }
        log.info(format, args);
    }
}
