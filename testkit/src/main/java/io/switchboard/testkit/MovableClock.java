package io.switchboard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock that tests move forward by hand, for what counts time without waiting for it:
 * message expiry, session expiry across a restart. Starts at the real time; thread-safe.
 */
public final class MovableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    /** Moves the clock forward. */
    public void advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MovableClock is UTC only");
    }
}
