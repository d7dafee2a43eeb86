package dev.slipway.drift;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.manifest.DriftSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Watches one model version for drift over tumbling windows of the manifest's {@code drift.window}, aligned to the
 * epoch (a one-hour window starts on the hour, UTC).
 *
 * <p>Serving calls {@link #observe(double[])} per row; it is thread-safe and cheap: it reads the clock, then takes one
 * of a few striped locks (by thread) to update that stripe's counts, KLL sketches and kept values, so concurrent
 * callers rarely contend. When the clock has passed the window's end, the first caller swaps in a new window and hands
 * the old one to {@code closer}, which merges its stripes and computes the {@link DriftReport}; pass the drift
 * scheduler's executor so that work stays off the request path. A scheduler should also call {@link #tick()} now and
 * then, so a window closes even when no traffic arrives. The last {@code keep} reports are kept; the latest one feeds
 * {@link #gauge}.
 */
public final class DriftMonitor {
    /** Reports kept. */
    public static final int DEFAULT_KEEP = 24;

    static final int DEFAULT_STRIPES = 4;

    private final ReferenceProfile profile;
    private final DriftSpec spec;
    private final Clock clock;
    private final Executor closer;
    private final int keep;
    private final int stripes;
    private final int exactLimit;
    private final long windowMillis;
    private final AtomicReference<LiveWindow> current;
    private final Object rotation = new Object();
    private final ArrayDeque<DriftReport> reports = new ArrayDeque<>();
    private volatile @Nullable DriftReport latest;
    private @Nullable Instant latestStart;

    /**
     * A monitor keeping the last {@link #DEFAULT_KEEP} reports.
     *
     * @param closer runs the work of closing a window (merging, statistics); a direct executor closes it on the caller
     */
    public DriftMonitor(ReferenceProfile profile, DriftSpec spec, Clock clock, Executor closer) {
        this(profile, spec, clock, closer, DEFAULT_KEEP, DEFAULT_STRIPES, ReferenceProfile.DEFAULT_EXACT_LIMIT);
    }

    DriftMonitor(
            ReferenceProfile profile,
            DriftSpec spec,
            Clock clock,
            Executor closer,
            int keep,
            int stripes,
            int exactLimit) {
        this.profile = requireNonNull(profile, "profile");
        this.spec = requireNonNull(spec, "spec");
        this.clock = requireNonNull(clock, "clock");
        this.closer = requireNonNull(closer, "closer");
        if (keep < 1 || stripes < 1) {
            throw new IllegalArgumentException("keep: " + keep + ", stripes: " + stripes + " (expected: >= 1)");
        }
        this.keep = keep;
        this.stripes = stripes;
        this.exactLimit = exactLimit;
        this.windowMillis = spec.window().toMillis();
        this.current = new AtomicReference<>(newWindow(clock.millis()));
    }

    /** The profile this monitor compares with; its {@link ReferenceProfile#columns()} give the row order. */
    public ReferenceProfile profile() {
        return profile;
    }

    /**
     * Records one served row: encoded feature values in manifest order (booleans 0/1, categories as codes), then the
     * predictions, as {@link ReferenceProfile#columns()} lists them; {@code NaN} is a missing value.
     */
    public void observe(double[] row) {
        while (true) {
            Stripe stripe = windowAt(clock.millis()).stripe();
            stripe.lock.lock();
            try {
                if (!stripe.closed) {
                    stripe.state.observe(row);
                    return;
                }
            } finally {
                stripe.lock.unlock();
            }
        }
    }

    /** Records one row of raw values by column name (numbers, booleans, category names; absent is missing). */
    public void observeRecord(Map<String, ? extends @Nullable Object> record) {
        while (true) {
            Stripe stripe = windowAt(clock.millis()).stripe();
            stripe.lock.lock();
            try {
                if (!stripe.closed) {
                    stripe.state.observeRecord(record);
                    return;
                }
            } finally {
                stripe.lock.unlock();
            }
        }
    }

    /** Closes the current window if the clock has passed its end. */
    public void tick() {
        windowAt(clock.millis());
    }

    /** The latest closed window's report, if any window has closed. */
    public Optional<DriftReport> latest() {
        return Optional.ofNullable(latest);
    }

    /** The kept reports, oldest first. */
    public List<DriftReport> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** A gauge's value for one column in the latest report; NaN before the first window closes. */
    public double gauge(String column, DriftGauge gauge) {
        DriftReport report = latest;
        if (report == null) {
            return Double.NaN;
        }
        return report.feature(column).map(gauge::of).orElse(Double.NaN);
    }

    /** 1 when any column drifted in the latest report, else 0; NaN before the first window closes. */
    public double drifted() {
        DriftReport report = latest;
        return report == null ? Double.NaN : report.driftDetected() ? 1 : 0;
    }

    /**
     * A copy of the open window's state so far: to merge with other replicas' states, or to show a window in progress.
     */
    public WindowState snapshot() {
        LiveWindow window = requireNonNull(current.get());
        WindowState copy = profile.newWindow(window.start, window.end, exactLimit);
        for (Stripe stripe : window.stripes) {
            stripe.lock.lock();
            try {
                copy.merge(stripe.state);
            } finally {
                stripe.lock.unlock();
            }
        }
        return copy;
    }

    private LiveWindow windowAt(long now) {
        LiveWindow window = requireNonNull(current.get());
        if (now < window.endMillis) {
            return window;
        }
        LiveWindow closed;
        LiveWindow next;
        synchronized (rotation) {
            window = requireNonNull(current.get());
            if (now < window.endMillis) {
                return window;
            }
            closed = window;
            next = newWindow(now);
            current.set(next);
        }
        closer.execute(() -> close(closed));
        return next;
    }

    private LiveWindow newWindow(long now) {
        long start = Math.floorDiv(now, windowMillis) * windowMillis;
        Instant from = Instant.ofEpochMilli(start);
        Instant to = Instant.ofEpochMilli(start + windowMillis);
        Stripe[] parts = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            parts[i] = new Stripe(profile.newWindow(from, to, exactLimit));
        }
        return new LiveWindow(from, to, parts);
    }

    private void close(LiveWindow window) {
        WindowState merged = profile.newWindow(window.start, window.end, exactLimit);
        for (Stripe stripe : window.stripes) {
            stripe.lock.lock();
            try {
                stripe.closed = true;
                merged.merge(stripe.state);
            } finally {
                stripe.lock.unlock();
            }
        }
        DriftReport report = profile.compare(merged, spec);
        synchronized (reports) {
            reports.addLast(report);
            while (reports.size() > keep) {
                reports.removeFirst();
            }
            if (latestStart == null || !window.start.isBefore(latestStart)) {
                latestStart = window.start;
                latest = report;
            }
        }
    }

    private static final class LiveWindow {
        final Instant start;
        final Instant end;
        final long endMillis;
        final Stripe[] stripes;

        LiveWindow(Instant start, Instant end, Stripe[] stripes) {
            this.start = start;
            this.end = end;
            this.endMillis = end.toEpochMilli();
            this.stripes = stripes;
        }

        Stripe stripe() {
            @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
            long id = Thread.currentThread().getId();
            return stripes[(int) (id % stripes.length)];
        }
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final WindowState state;
        boolean closed;

        Stripe(WindowState state) {
            this.state = state;
        }
    }
}
