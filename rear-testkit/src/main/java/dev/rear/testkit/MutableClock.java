package dev.rear.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until advanced: {@link FakeProviderContext#pause} advances it, so a
 * provider that polls a job every minute for an hour runs in milliseconds.
 *
 * <p>Thread-safe. <b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** A clock showing {@code start}, in UTC. */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock forward. */
    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + d);
        }
        now = now.plus(d);
    }

    /** Sets the clock. */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MutableClock is always UTC");
    }
}
