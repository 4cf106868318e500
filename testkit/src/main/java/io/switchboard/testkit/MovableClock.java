package io.switchboard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock that tests move forward by hand, for what counts time without waiting for it:
 * message expiry, session expiry across a restart. Starts at the real time (or stands at a given
 * one, {@link #standingAt}); thread-safe.
 */
public final class MovableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();
    /** The time it stands at when it does not follow the real time; null when it does. */
    private final Long standingAt;

    /** Follows the real time, moved forward by hand. */
    public MovableClock() {
        this.standingAt = null;
    }

    private MovableClock(Instant at) {
        this.standingAt = at.toEpochMilli();
    }

    /** A clock that stands at {@code at} and moves only when the test moves it. */
    public static MovableClock standingAt(Instant at) {
        return new MovableClock(at);
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        offsetMillis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return (standingAt == null ? System.currentTimeMillis() : standingAt) + offsetMillis.get();
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
