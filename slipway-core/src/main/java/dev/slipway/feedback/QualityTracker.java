package dev.slipway.feedback;

import dev.slipway.api.manifest.OutputKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The live quality state: per series (endpoint, answering model version, variant) and tumbling window of prediction
 * time, the number of stored predictions and every labelled row (score, predicted label, label, delay), so metrics are
 * exact and can be recomputed at any time. A mirror of the store's rows: rebuilt from it at start, then told of every
 * insert, label and deletion. Thread-safe: one lock; metrics are cached per window and series until they change.
 */
final class QualityTracker {
    private final long windowMillis;
    private final Map<QualityKey, Series> series = new HashMap<>();

    QualityTracker(Duration window) {
        this.windowMillis = window.toMillis();
    }

    /** The start of the window holding an instant, epoch milliseconds (windows start at multiples of the length). */
    long windowStart(long epochMillis) {
        return Math.floorDiv(epochMillis, windowMillis) * windowMillis;
    }

    /** A stored prediction row. */
    synchronized void predicted(Prediction row) {
        window(row.key(), row.output(), row.kind(), row.servedAt()).predictions++;
    }

    /** Stored rows counted at start. */
    synchronized void predicted(QualityKey key, String output, OutputKind kind, long windowStart, long rows) {
        window(key, output, kind, windowStart).predictions += rows;
    }

    /** A row that got its label (at start, or when the label is accepted). */
    synchronized void labelled(Prediction row) {
        window(row.key(), row.output(), row.kind(), row.servedAt()).add(row);
    }

    /** Forgets the windows that start before {@code cutoff} (epoch milliseconds). */
    synchronized void dropBefore(long cutoff) {
        for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
            Series s = it.next();
            s.windows.headMap(cutoff, false).clear();
            s.total = null;
            if (s.windows.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Forgets everything. */
    synchronized void clear() {
        series.clear();
    }

    /** Whether any prediction of this endpoint is tracked. */
    synchronized boolean knows(String endpoint) {
        return series.keySet().stream().anyMatch(k -> k.endpoint().equals(endpoint));
    }

    /** Every series, ordered. */
    synchronized List<QualityKey> keys() {
        List<QualityKey> keys = new ArrayList<>(series.keySet());
        keys.sort(ORDER);
        return keys;
    }

    private static final Comparator<QualityKey> ORDER = Comparator.comparing(QualityKey::endpoint)
            .thenComparing(QualityKey::model)
            .thenComparing(k -> k.version().length())
            .thenComparing(QualityKey::version)
            .thenComparing(QualityKey::variant);

    /** The metrics of a series over every retained window; empty when the series is not tracked. */
    synchronized Optional<WindowQuality> total(QualityKey key) {
        Series s = series.get(key);
        return s == null ? Optional.empty() : Optional.of(s.total());
    }

    /** An endpoint's report with at most {@code windows} recent windows per series. */
    synchronized List<VersionQuality> report(String endpoint, int windows) {
        List<VersionQuality> versions = new ArrayList<>();
        for (QualityKey key : keys()) {
            if (!key.endpoint().equals(endpoint)) {
                continue;
            }
            Series s = java.util.Objects.requireNonNull(series.get(key));
            List<WindowQuality> recent = new ArrayList<>();
            for (Map.Entry<Long, Window> w : s.windows.descendingMap().entrySet()) {
                if (recent.size() >= windows) {
                    break;
                }
                recent.add(w.getValue().quality(s.kind, w.getKey(), w.getKey() + windowMillis));
            }
            versions.add(
                    new VersionQuality(key.model(), key.version(), key.variant(), s.output, s.kind, s.total(), recent));
        }
        return versions;
    }

    private Window window(QualityKey key, String output, OutputKind kind, long epochMillis) {
        Series s = series.computeIfAbsent(key, k -> new Series(output, kind));
        s.total = null;
        return s.windows.computeIfAbsent(windowStart(epochMillis), start -> new Window());
    }

    /** One series' windows. */
    private final class Series {
        final String output;
        final OutputKind kind;
        final NavigableMap<Long, Window> windows = new TreeMap<>();

        @Nullable
        WindowQuality total;

        Series(String output, OutputKind kind) {
            this.output = output;
            this.kind = kind;
        }

        WindowQuality total() {
            WindowQuality cached = total;
            if (cached != null) {
                return cached;
            }
            Window all = new Window();
            for (Window w : windows.values()) {
                all.merge(w);
            }
            long start = windows.isEmpty() ? 0 : windows.firstKey();
            long end = windows.isEmpty() ? 0 : windows.lastKey() + windowMillis;
            WindowQuality computed = all.quality(kind, start, end);
            total = computed;
            return computed;
        }
    }

    /** One window of one series: counts and the labelled rows. */
    private static final class Window {
        long predictions;
        int size;
        double[] scores = new double[8];

        @Nullable
        String[] predicted = new String[8];

        String[] labels = new String[8];
        long delaySum;
        long delayMax;

        @Nullable
        WindowQuality cached;

        void add(Prediction row) {
            grow(size + 1);
            scores[size] = row.score();
            predicted[size] = row.predicted();
            labels[size] = java.util.Objects.requireNonNull(row.label(), "label");
            size++;
            long delay = Math.max(0, row.labelledAt() - row.servedAt());
            delaySum += delay;
            delayMax = Math.max(delayMax, delay);
            cached = null;
        }

        void merge(Window other) {
            grow(size + other.size);
            System.arraycopy(other.scores, 0, scores, size, other.size);
            System.arraycopy(other.predicted, 0, predicted, size, other.size);
            System.arraycopy(other.labels, 0, labels, size, other.size);
            size += other.size;
            predictions += other.predictions;
            delaySum += other.delaySum;
            delayMax = Math.max(delayMax, other.delayMax);
            cached = null;
        }

        private void grow(int needed) {
            if (needed > scores.length) {
                int capacity = Math.max(needed, scores.length * 2);
                scores = Arrays.copyOf(scores, capacity);
                predicted = Arrays.copyOf(predicted, capacity);
                labels = Arrays.copyOf(labels, capacity);
            }
        }

        WindowQuality quality(OutputKind kind, long start, long end) {
            WindowQuality known = cached;
            if (known != null) {
                return known;
            }
            long counted = Math.max(predictions, size);
            WindowQuality computed = new WindowQuality(
                    Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(end),
                    counted,
                    counted == 0 ? null : (double) size / counted,
                    size == 0 ? null : delaySum / 1000.0 / size,
                    size == 0 ? null : delayMax / 1000.0,
                    QualityMath.metrics(kind, size, scores, predicted, labels));
            cached = computed;
            return computed;
        }
    }
}
