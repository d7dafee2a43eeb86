package dev.slipway.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Delayed labels: the prediction store that {@code POST /v1/models/{name}/feedback} joins labels with, and the live
 * quality metrics computed from the joined rows.
 *
 * <pre>
 * feedback:
 *   enabled: true
 *   database: slipway-data/feedback.db   # SQLite file, relative to this file
 *   sample-rate: 1.0                     # share of requests whose predictions are kept (hash of the request id)
 *   window: PT1H                         # tumbling quality windows, by the prediction's time
 *   retention: P7D                       # windows older than this are deleted
 *   max-rows: 1000000                    # the store never holds more prediction rows than this
 *   queue: 8192                          # requests waiting for the store's writer; beyond it dropped and counted
 * </pre>
 *
 * @param enabled whether predictions are stored and feedback accepted (default false)
 * @param database the SQLite file (default {@code slipway-data/feedback.db})
 * @param sampleRate the share of requests whose predictions are stored, 0..1 (default 1)
 * @param window the length of a quality window (default one hour); windows start at multiples of it (UTC)
 * @param retention how long predictions and labels are kept (default seven days); whole windows are deleted
 * @param maxRows the most prediction rows kept (default 1,000,000); the oldest windows go first
 * @param queue how many served requests may wait for the store's writer thread (default 8192)
 */
public record FeedbackConfig(
        @Nullable Boolean enabled,
        @Nullable String database,
        @Nullable Double sampleRate,
        @Nullable Duration window,
        @Nullable Duration retention,
        @Nullable Long maxRows,
        @Nullable Integer queue) {
    public static final String DEFAULT_DATABASE = "slipway-data/feedback.db";
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final long DEFAULT_MAX_ROWS = 1_000_000;
    public static final int DEFAULT_QUEUE = 8192;

    public FeedbackConfig {
        enabled = enabled != null && enabled;
        database = database == null ? DEFAULT_DATABASE : database;
        sampleRate = sampleRate == null ? 1.0 : sampleRate;
        window = window == null ? DEFAULT_WINDOW : window;
        retention = retention == null ? DEFAULT_RETENTION : retention;
        maxRows = maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        queue = queue == null ? DEFAULT_QUEUE : queue;
    }

    /** Off. */
    public static FeedbackConfig disabled() {
        return new FeedbackConfig(null, null, null, null, null, null, null);
    }

    /** On, with every other key at its default, storing in {@code database}. */
    public static FeedbackConfig at(String database) {
        return new FeedbackConfig(true, database, null, null, null, null, null);
    }

    /** Whether predictions are stored and feedback accepted. */
    public boolean on() {
        return Boolean.TRUE.equals(enabled);
    }

    /** The database file (never null after construction). */
    public String databasePath() {
        return Objects.requireNonNull(database);
    }

    /** The sample rate (never null after construction). */
    public double rate() {
        return Objects.requireNonNull(sampleRate);
    }

    /** The window length (never null after construction). */
    public Duration windowLength() {
        return Objects.requireNonNull(window);
    }

    /** The retention (never null after construction). */
    public Duration retentionPeriod() {
        return Objects.requireNonNull(retention);
    }

    /** The row limit (never null after construction). */
    public long rowLimit() {
        return Objects.requireNonNull(maxRows);
    }

    /** The queue capacity (never null after construction). */
    public int queueCapacity() {
        return Objects.requireNonNull(queue);
    }

    /** The same settings with another database file. */
    public FeedbackConfig withDatabase(String newDatabase) {
        return new FeedbackConfig(enabled, newDatabase, sampleRate, window, retention, maxRows, queue);
    }

    void problems(String path, List<String> problems) {
        if (!(rate() >= 0 && rate() <= 1)) {
            problems.add(path + ".sample-rate: " + sampleRate + " (expected: 0..1, the share of requests stored)");
        }
        Duration length = windowLength();
        boolean windowOk = length.compareTo(Duration.ofSeconds(1)) >= 0
                && length.compareTo(Duration.ofDays(31)) <= 0
                && length.toNanos() % 1_000_000 == 0;
        if (!windowOk) {
            problems.add(path + ".window: " + window + " (expected: PT1S..P31D, whole milliseconds)");
        }
        if (retentionPeriod().compareTo(length) < 0 || retentionPeriod().toDays() > 3660) {
            problems.add(path + ".retention: " + retention + " (expected: at least one window, " + window
                    + ", and at most P3660D)");
        }
        if (rowLimit() < 1 || rowLimit() > 1_000_000_000L) {
            problems.add(path + ".max-rows: " + maxRows + " (expected: 1..1000000000)");
        }
        if (queueCapacity() < 1 || queueCapacity() > 1_000_000) {
            problems.add(path + ".queue: " + queue + " (expected: 1..1000000)");
        }
        if (databasePath().isBlank()) {
            problems.add(path + ".database: empty (expected: a SQLite file path)");
        }
    }
}
