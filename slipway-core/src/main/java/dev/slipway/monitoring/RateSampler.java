package dev.slipway.monitoring;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Admits requests carrying about {@code perSecond} rows each second, each request with the same chance: every request
 * of quiet traffic, and a uniform random sample of busy traffic, whose share is set each second from the rows offered
 * the second before. Counting rows, not requests, keeps the drift worker's load bounded whatever the batch size: a
 * thousand 1,024-row requests a second are a million rows. On the request thread it costs a clock read, an add and,
 * when thinning, a random draw.
 */
final class RateSampler {
    private static final long SECOND = 1_000_000_000L;

    private final long perSecond;
    private final LongSupplier nanos;
    private final AtomicLong second;
    private final LongAdder offered = new LongAdder();
    private volatile double share = 1.0;

    /**
     * A sampler.
     *
     * @param perSecond rows admitted per second at most, on average; 0 admits every request
     * @param nanos a monotonic clock in nanoseconds
     */
    RateSampler(long perSecond, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.nanos = nanos;
        this.second = new AtomicLong(Math.floorDiv(nanos.getAsLong(), SECOND));
    }

    /** Whether a request of {@code rows} rows is admitted. */
    boolean admit(int rows) {
        if (perSecond == 0) {
            return true;
        }
        long now = Math.floorDiv(nanos.getAsLong(), SECOND);
        long current = second.get();
        if (now != current && second.compareAndSet(current, now)) {
            long last = offered.sumThenReset();
            share = now == current + 1 && last > perSecond ? (double) perSecond / last : 1.0;
        }
        offered.add(Math.max(1, rows));
        double chance = share;
        return chance >= 1.0 || ThreadLocalRandom.current().nextDouble() < chance;
    }

    /** The share of requests admitted in this second. */
    double share() {
        return share;
    }
}
