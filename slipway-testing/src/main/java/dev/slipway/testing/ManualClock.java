package dev.slipway.testing;

import dev.slipway.api.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A wall clock and monotonic ticker that tests move by hand: time passes only when {@link #advance} is called.
 * Thread-safe.
 */
public final class ManualClock extends Clock implements Ticker {
    private volatile Instant now;

    /** A clock at {@code start}. */
    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock forward. */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Monotonic nanoseconds derived from the current instant. */
    @Override
    public long nanos() {
        Instant instant = now;
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
