package dev.slipway.api;

/**
 * Monotonic time in nanoseconds, for measuring durations; injected so tests can move time by hand. Wall-clock time is a
 * {@link java.time.Clock}.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
    long nanos();

    /** The system's monotonic clock: the one place Slipway reads {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
